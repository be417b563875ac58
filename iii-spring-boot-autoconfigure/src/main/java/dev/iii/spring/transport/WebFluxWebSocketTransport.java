package dev.iii.spring.transport;

import dev.iii.transport.WebSocket;
import dev.iii.transport.WebSocketListener;
import dev.iii.transport.WebSocketRequest;
import dev.iii.transport.WebSocketTransport;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.client.WebSocketClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * Opens the iii client's WebSockets with Spring WebFlux's {@link WebSocketClient}. Set it with
 * {@code InitOptions.Builder#transport}; the starter does when {@code iii.transport} says so.
 *
 * <p>A {@link ReactorNettyWebSocketClient} keeps its {@code HttpClient} (TLS, proxy, metrics) but
 * gets the engine's message size limit ({@link WebSocketRequest#maxMessageBytes()}); any other
 * client is used as it is, with its own limits.
 */
public final class WebFluxWebSocketTransport implements WebSocketTransport {

  private final WebSocketClient client;

  public WebFluxWebSocketTransport(WebSocketClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** A transport on a new {@link ReactorNettyWebSocketClient}. */
  public static WebFluxWebSocketTransport create() {
    return new WebFluxWebSocketTransport(new ReactorNettyWebSocketClient(HttpClient.create()));
  }

  @Override
  public WebSocket connect(WebSocketRequest request, WebSocketListener listener) {
    WebSocketClient sized = client;
    if (client instanceof ReactorNettyWebSocketClient reactor) {
      sized =
          new ReactorNettyWebSocketClient(
              reactor.getHttpClient(),
              () -> WebsocketClientSpec.builder().maxFramePayloadLength(request.maxMessageBytes()));
    }
    HttpHeaders headers = new HttpHeaders();
    request.headers().forEach(headers::set);
    WebFluxWebSocket socket = new WebFluxWebSocket(request, listener);
    socket.start(
        sized
            .execute(request.uri(), headers, socket::run)
            .subscribe(ignored -> {}, socket::onFailure, socket::onComplete));
    return socket;
  }
}
