package dev.iii.engine.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.websocket.WebsocketInbound;

/**
 * One socket on {@code /otel}: the SDKs' telemetry-only connection (official engine 0.22+). It is
 * not a worker (nothing is registered for it) and only binary telemetry frames ({@code OTLP},
 * {@code MTRC}, {@code LOGS}) count; anything else is dropped without closing the socket. At
 * shutdown it gets an empty Close frame, as the official engine sends there.
 *
 * <p>Concurrency: frames arrive on the connection's event loop; {@link #close} may be called from
 * any thread and runs its I/O on the event loop.
 */
final class TelemetryConnection {

  private static final Logger log = LoggerFactory.getLogger(TelemetryConnection.class);

  private final Consumer<byte[]> telemetrySink;
  private final int maxMessageBytes;
  private volatile @Nullable Channel channel;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  TelemetryConnection(Consumer<byte[]> telemetrySink, int maxMessageBytes) {
    this.telemetrySink = telemetrySink;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Runs the connection until either side closes it. */
  Mono<Void> handle(WebsocketInbound in) {
    in.withConnection(connection -> channel = connection.channel());
    return in.aggregateFrames(maxMessageBytes)
        .receiveFrames()
        .doOnNext(this::onFrame)
        .onErrorResume(e -> Mono.empty())
        .then()
        .doFinally(signal -> closed.complete(null));
  }

  private void onFrame(WebSocketFrame frame) {
    if (!(frame instanceof BinaryWebSocketFrame)) {
      log.debug("Ignoring a non-binary frame on /otel");
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(frame.content());
    if (WorkerConnection.isTelemetry(bytes)) {
      telemetrySink.accept(bytes);
    } else {
      log.debug("Dropped an unrecognised binary frame of {} bytes on /otel", bytes.length);
    }
  }

  /**
   * Sends an empty Close frame and closes the socket.
   *
   * @return completes once the socket is closed
   */
  CompletableFuture<Void> close() {
    Channel open = channel;
    if (open == null || !open.isActive()) {
      closed.complete(null);
      return closed;
    }
    try {
      open.eventLoop()
          .execute(
              () ->
                  open.writeAndFlush(new CloseWebSocketFrame())
                      .addListener(ChannelFutureListener.CLOSE));
    } catch (RejectedExecutionException e) {
      closed.complete(null);
    }
    return closed;
  }
}
