package dev.iii.transport;

import java.util.Objects;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * The default transport: Reactor Netty's WebSocket client, with frames read and written directly on
 * the connection's event loop. Messages go to the listener as they are decoded, and writes queued
 * from any thread are written together in one event-loop task with a single flush.
 */
public final class ReactorNettyTransport implements WebSocketTransport {

  private final HttpClient httpClient;

  /** A transport on Reactor Netty's shared event loops. */
  public ReactorNettyTransport() {
    this(HttpClient.create());
  }

  /**
   * A transport on a configured client (TLS, proxy, event loops, metrics…); its WebSocket settings
   * are replaced per request.
   */
  public ReactorNettyTransport(HttpClient httpClient) {
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
  }

  @Override
  public WebSocket connect(WebSocketRequest request, WebSocketListener listener) {
    NettyWebSocket socket = new NettyWebSocket(request, listener);
    HttpClient client = httpClient;
    if (!request.headers().isEmpty()) {
      client = client.headers(headers -> request.headers().forEach(headers::set));
    }
    WebsocketClientSpec spec =
        WebsocketClientSpec.builder().maxFramePayloadLength(request.maxMessageBytes()).build();
    socket.start(
        client
            .websocket(spec)
            .uri(request.uri())
            .handle(socket::run)
            .subscribe(ignored -> {}, socket::onFailure, socket::onComplete));
    return socket;
  }
}
