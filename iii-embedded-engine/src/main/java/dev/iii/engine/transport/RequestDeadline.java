package dev.iii.engine.transport;

import dev.iii.engine.support.RateLimitedLog;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of an HTTP connection on either listener, after the HTTP codec: an accepted
 * connection must deliver complete request headers (a WebSocket upgrade or any request) within the
 * handshake timeout, and a keep-alive connection its next request's headers within the HTTP idle
 * timeout after the last response; otherwise it is closed. A slowloris that trickles its headers is
 * closed as surely as a silent socket: the deadline counts from the start, not from the last byte.
 * While a request is being answered no deadline runs. When a WebSocket upgrade is answered (101)
 * this handler gives way to a {@link SocketIdleHandler}.
 *
 * <p>Concurrency: one instance per channel, used only on that channel's event loop.
 */
final class RequestDeadline extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);

  private final Duration handshakeTimeout;
  private final Duration httpIdleTimeout;
  private final Supplier<SocketIdleHandler> socketIdle;
  private final RateLimitedLog warnings;

  /** The running deadline, if any (event loop only). */
  private io.netty.util.concurrent.@Nullable ScheduledFuture<?> deadline;

  /** Requests read and not yet answered in full (event loop only). */
  private int inFlight;

  /** Whether a request has been read on this connection (event loop only). */
  private boolean served;

  RequestDeadline(
      Duration handshakeTimeout,
      Duration httpIdleTimeout,
      Supplier<SocketIdleHandler> socketIdle,
      RateLimitedLog warnings) {
    this.handshakeTimeout = handshakeTimeout;
    this.httpIdleTimeout = httpIdleTimeout;
    this.socketIdle = socketIdle;
    this.warnings = warnings;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx, handshakeTimeout);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
    if (message instanceof HttpRequest request) {
      cancel();
      served = true;
      inFlight++;
      Throwable failure = request.decoderResult().cause();
      if (failure instanceof TooLongHttpHeaderException
          || failure instanceof TooLongHttpLineException) {
        // Reactor Netty answers 431 (headers) or 414 (request line) and closes.
        warnings.warn(
            "request headers too large",
            "Refused a request from {}: {} (limits max_request_header_bytes)",
            ctx.channel().remoteAddress(),
            String.valueOf(failure.getMessage()));
      }
    }
    super.channelRead(ctx, message);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise)
      throws Exception {
    if (message instanceof HttpResponse response
        && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
      cancel();
      ctx.pipeline().addFirst("iii.socket.idle", socketIdle.get());
      ctx.pipeline().remove(this);
      ctx.write(message, promise);
      return;
    }
    boolean informational =
        message instanceof HttpResponse response
            && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (message instanceof LastHttpContent && !informational && inFlight > 0 && --inFlight == 0) {
      arm(ctx, httpIdleTimeout);
    }
    super.write(ctx, message, promise);
  }

  private void arm(ChannelHandlerContext ctx, Duration timeout) {
    cancel();
    deadline =
        ctx.executor()
            .schedule(() -> expire(ctx, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void expire(ChannelHandlerContext ctx, Duration timeout) {
    deadline = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    if (served) {
      log.debug(
          "Closed a keep-alive connection from {}: no next request within {} ms",
          ctx.channel().remoteAddress(),
          timeout.toMillis());
    } else {
      warnings.warn(
          "handshake timeout",
          "Closed a connection from {}: no complete request headers within {} ms"
              + " (limits handshake_timeout_ms)",
          ctx.channel().remoteAddress(),
          timeout.toMillis());
    }
    ctx.close();
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
