package dev.iii.engine.transport;

import dev.iii.engine.registry.Worker;
import dev.iii.engine.registry.WorkerOutbound;
import dev.iii.engine.router.MessageRouter;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One worker's WebSocket. Inbound frames are decoded and routed in arrival order on the
 * connection's event loop; outbound messages go through an unbounded queue so that routing never
 * waits for a slow worker.
 */
final class WorkerConnection implements WorkerOutbound {

  private static final Logger log = LoggerFactory.getLogger(WorkerConnection.class);

  /** Largest message accepted after fragments are joined, as in the official engine. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private static final int FRAME_PREFIX = 4;

  private final MessageCodec codec = MessageCodec.instance();
  private final MessageRouter router;
  private final Consumer<byte[]> telemetrySink;
  private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
  private final Worker worker;
  private volatile boolean closed;

  WorkerConnection(
      MessageRouter router, Consumer<byte[]> telemetrySink, @Nullable InetSocketAddress remote) {
    this.router = router;
    this.telemetrySink = telemetrySink;
    this.worker = new Worker(remote == null ? null : remote.getAddress().getHostAddress(), this);
  }

  /** Runs the connection until either side closes it. */
  Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
    router.connected(worker);
    Mono<Void> reading =
        in.aggregateFrames(MAX_MESSAGE_BYTES)
            .receiveFrames()
            .doOnNext(this::onFrame)
            .onErrorResume(
                e -> {
                  log.debug("{}: connection read failed: {}", worker, e.toString());
                  return Mono.empty();
                })
            .then()
            .doFinally(signal -> disconnect());
    Mono<Void> writing = out.sendObject(outbound.asFlux()).then();
    return Mono.when(reading, writing).onErrorResume(e -> Mono.empty());
  }

  @Override
  public boolean send(Message message) {
    if (closed) {
      return false;
    }
    String json = codec.encode(message);
    synchronized (outbound) {
      return outbound.tryEmitNext(new TextWebSocketFrame(json)).isSuccess();
    }
  }

  /** Sends a Close frame (1001, going away) and ends the connection; used at engine shutdown. */
  void goAway() {
    synchronized (outbound) {
      outbound.tryEmitNext(new CloseWebSocketFrame(1001, "engine shutting down"));
      outbound.tryEmitComplete();
    }
  }

  Worker worker() {
    return worker;
  }

  private void onFrame(WebSocketFrame frame) {
    try {
      if (frame instanceof TextWebSocketFrame text) {
        String json = text.text();
        if (!json.isBlank()) {
          dispatch(json);
        }
      } else if (frame instanceof BinaryWebSocketFrame binary) {
        onBinary(binary.content());
      }
    } catch (RuntimeException e) {
      // A bug in routing must not take the connection down with it.
      log.error("{}: failed to handle a frame", worker, e);
    }
  }

  private void onBinary(ByteBuf content) {
    byte[] bytes = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), bytes);
    if (bytes.length >= FRAME_PREFIX && isTelemetryPrefix(bytes)) {
      telemetrySink.accept(bytes);
      return;
    }
    dispatch(new String(bytes, StandardCharsets.UTF_8));
  }

  private static boolean isTelemetryPrefix(byte[] bytes) {
    String prefix = new String(bytes, 0, FRAME_PREFIX, StandardCharsets.US_ASCII);
    return prefix.equals("OTLP") || prefix.equals("MTRC") || prefix.equals("LOGS");
  }

  private void dispatch(String json) {
    Message message;
    try {
      message = codec.decode(json);
    } catch (ProtocolException e) {
      if (e.isUnknownType()) {
        log.debug("{}: ignoring message: {}", worker, e.getMessage());
      } else {
        log.warn("{}: json decode error, message dropped: {}", worker, e.getMessage());
      }
      return;
    }
    router.route(worker, message);
  }

  private void disconnect() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (outbound) {
      outbound.tryEmitComplete();
    }
    router.disconnected(worker);
  }
}
