package dev.iii.engine;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;

/**
 * A client of the stream WebSocket that records every message as JSON, in order, and sends join and
 * leave messages; optionally it stops reading (a slow browser).
 */
final class StreamClient implements AutoCloseable {

  private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
  private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
  private final CompletableFuture<Connection> connection = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Disposable session;

  private StreamClient(String url, Map<String, String> headers, boolean reading) {
    session =
        HttpClient.create()
            .headers(h -> headers.forEach(h::set))
            .websocket()
            .uri(url)
            .handle((in, out) -> run(in, out, reading))
            .subscribe(
                ignored -> {},
                error -> {
                  connection.completeExceptionally(error);
                  closed.complete(null);
                },
                () -> closed.complete(null));
    connection.orTimeout(5, TimeUnit.SECONDS).join();
  }

  static StreamClient connect(String url) {
    return new StreamClient(url, Map.of(), true);
  }

  static StreamClient connect(String url, Map<String, String> headers) {
    return new StreamClient(url, headers, true);
  }

  /** A client whose socket stops reading once connected. */
  static StreamClient connectNotReading(String url) {
    return new StreamClient(url, Map.of(), false);
  }

  private Mono<Void> run(WebsocketInbound in, WebsocketOutbound out, boolean reading) {
    in.withConnection(
        c -> {
          c.onDispose(() -> closed.complete(null));
          connection.complete(c);
        });
    Mono<Void> sending = out.sendString(outbound.asFlux()).then().onErrorResume(e -> Mono.empty());
    if (!reading) {
      // Takes one frame and never asks for more: Reactor then stops reading the socket.
      return Mono.when(sending, in.receiveFrames().concatMap(frame -> Mono.never(), 1).then())
          .onErrorResume(e -> Mono.empty());
    }
    Mono<Void> receiving =
        in.receiveFrames()
            .ofType(TextWebSocketFrame.class)
            .doOnNext(frame -> inbox.add(RawWorker.MAPPER.readTree(frame.text())))
            .then();
    return Mono.when(sending, receiving).onErrorResume(e -> Mono.empty());
  }

  synchronized void send(String text) {
    outbound.tryEmitNext(text).orThrow();
  }

  void join(String subscriptionId, String stream, String group, @Nullable String id) {
    send(message("join", subscriptionId, stream, group, id));
  }

  void leave(String subscriptionId, String stream, String group, @Nullable String id) {
    send(message("leave", subscriptionId, stream, group, id));
  }

  private static String message(
      String type, String subscriptionId, String stream, String group, @Nullable String id) {
    return "{\"type\":\""
        + type
        + "\",\"data\":{\"subscriptionId\":\""
        + subscriptionId
        + "\",\"streamName\":\""
        + stream
        + "\",\"groupId\":\""
        + group
        + "\""
        + (id == null ? "" : ",\"id\":\"" + id + "\"")
        + "}}";
  }

  /** The next message, waiting up to 5 s. */
  JsonNode next() {
    try {
      JsonNode message = inbox.poll(5, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no stream message within 5 s");
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The messages received and not taken yet. */
  List<JsonNode> drain() {
    List<JsonNode> all = new java.util.ArrayList<>();
    inbox.drainTo(all);
    return all;
  }

  boolean awaitClosed(Duration timeout) {
    try {
      closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    session.dispose();
    Connection c = connection.getNow(null);
    if (c != null) {
      c.dispose();
    }
  }
}
