package dev.iii.engine.transport;

import dev.iii.engine.support.RateLimitedLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an open WebSocket (worker, telemetry or channel socket) honest: after a third of the idle
 * timeout without a byte read it sends a WebSocket ping, and after the whole timeout without one —
 * a pong counts — it closes the socket, so a half-open TCP connection is not kept for ever. It sits
 * at the head of the pipeline and counts raw reads, so a large message still arriving is not idle.
 *
 * <p>Concurrency: one instance per channel, used only on that channel's event loop (Netty's {@link
 * IdleStateHandler} model).
 */
final class SocketIdleHandler extends IdleStateHandler {

  /** Pings sent for one silent timeout; the socket is closed on the next silent third. */
  private static final int PINGS_BEFORE_CLOSE = 2;

  private final Duration idleTimeout;
  private final RateLimitedLog warnings;

  /** Consecutive silent thirds (event loop only). */
  private int silentThirds;

  SocketIdleHandler(Duration idleTimeout, RateLimitedLog warnings) {
    super(Math.max(1, idleTimeout.toMillis() / 3), 0, 0, TimeUnit.MILLISECONDS);
    this.idleTimeout = idleTimeout;
    this.warnings = warnings;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
    if (event.state() != IdleState.READER_IDLE) {
      return;
    }
    silentThirds = event.isFirst() ? 1 : silentThirds + 1;
    if (silentThirds > PINGS_BEFORE_CLOSE) {
      warnings.warn(
          "idle socket",
          "Closed the WebSocket from {}: nothing read, pongs included, for {} ms"
              + " (limits idle_timeout_ms)",
          ctx.channel().remoteAddress(),
          idleTimeout.toMillis());
      ctx.close();
      return;
    }
    // From the tail: through the WebSocket encoder, after whatever is already queued.
    ctx.channel().writeAndFlush(new PingWebSocketFrame(), ctx.channel().voidPromise());
  }
}
