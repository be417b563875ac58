package dev.iii.engine.transport;

import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.support.RateLimitedLog;
import io.netty.channel.Channel;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * The bounds every listener of the engine puts on its connections (worker, HTTP and stream ports):
 * request line and headers up to {@code max_request_header_bytes}, complete within {@code
 * handshake_timeout_ms}; keep-alive connections and pauses inside a body closed after {@code
 * http_idle_timeout_ms}; a WebSocket pinged and closed when silent for {@code idle_timeout_ms}.
 * Immutable; the warnings it writes are rate-limited.
 */
public final class ListenerGuards {

  private final EngineLimits limits;
  private final RateLimitedLog warnings;

  /**
   * @param limits the engine's bounds
   * @param warnings where a closed connection is reported, once per cause per interval
   */
  public ListenerGuards(EngineLimits limits, RateLimitedLog warnings) {
    this.limits = limits;
    this.warnings = warnings;
  }

  /** {@code server} with the header bound and the deadlines on every connection it accepts. */
  public HttpServer apply(HttpServer server) {
    return server
        .httpRequestDecoder(
            decoder ->
                decoder
                    .maxHeaderSize(limits.maxRequestHeaderBytes())
                    .maxInitialLineLength(limits.maxRequestHeaderBytes()))
        .doOnChannelInit((observer, channel, remote) -> installDeadline(channel));
  }

  private void installDeadline(Channel channel) {
    RequestDeadline deadline =
        new RequestDeadline(
            limits.handshakeTimeout(),
            limits.httpIdleTimeout(),
            () -> new SocketIdleHandler(limits.idleTimeout(), warnings),
            warnings);
    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
      channel.pipeline().addAfter(NettyPipeline.HttpCodec, "iii.request.deadline", deadline);
    } else {
      channel.pipeline().addFirst("iii.request.deadline", deadline);
    }
  }
}
