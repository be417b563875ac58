package dev.iii.engine.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The bounds that keep one client from taking the engine's memory, sockets or time. Every limit has
 * a default that protects a laptop; each can be changed in a config file's {@code limits:} section
 * (keys in brackets) or with {@code EmbeddedEngine.builder().limits(...)}.
 *
 * @param maxMessageBytes the largest worker message, whole or in one frame (64 MiB) [{@code
 *     max_message_bytes}]; the official engine accepts messages this large but frames of only 16
 *     MiB, which would drop a worker for one large result, so here the frame limit is the message
 *     limit
 * @param maxOutboundBytes what may wait to be written to one worker socket (128 MiB) [{@code
 *     max_outbound_bytes}]; a worker that stops reading is disconnected when it is passed, and its
 *     invocations end
 * @param handshakeTimeout how long an accepted connection may take to send its request headers
 *     (WebSocket upgrade or HTTP request), 10 s as the official {@code iii-worker-manager}'s {@code
 *     handshake_timeout_ms} [{@code handshake_timeout_ms}]
 * @param idleTimeout how long a worker or channel socket may stay silent before it is closed (90
 *     s); the engine pings it at a third of that, and every WebSocket library answers a ping
 *     [{@code idle_timeout_ms}]
 * @param invocationTimeout how long the engine keeps an invocation waiting for its result (5 min)
 *     [{@code invocation_timeout_ms}]; callers time out earlier by themselves, and the protocol has
 *     no cancel message, so this is what makes the engine forget an abandoned invocation; its
 *     caller, if still waiting, gets {@code timeout}
 * @param maxRequestBodyBytes the largest REST request body (16 MiB); a larger one is answered 413
 *     [{@code max_request_body_bytes}]
 * @param maxRequestHeaderBytes the largest request line plus headers on the HTTP port (16 KiB);
 *     larger ones are answered 431 [{@code max_request_header_bytes}]
 * @param httpIdleTimeout how long a keep-alive HTTP connection may wait for its next request, and
 *     the longest pause within a request body (60 s) [{@code http_idle_timeout_ms}]
 * @param maxTelemetryLogBytes the bytes of SDK log records the engine retains (8 MiB), besides
 *     their count [{@code max_telemetry_log_bytes}]
 */
public record EngineLimits(
    int maxMessageBytes,
    long maxOutboundBytes,
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration invocationTimeout,
    long maxRequestBodyBytes,
    int maxRequestHeaderBytes,
    Duration httpIdleTimeout,
    long maxTelemetryLogBytes) {

  private static final int MIB = 1024 * 1024;

  public EngineLimits {
    positive(maxMessageBytes, "max_message_bytes");
    positive(maxOutboundBytes, "max_outbound_bytes");
    positive(handshakeTimeout, "handshake_timeout_ms");
    positive(idleTimeout, "idle_timeout_ms");
    positive(invocationTimeout, "invocation_timeout_ms");
    positive(maxRequestBodyBytes, "max_request_body_bytes");
    positive(maxRequestHeaderBytes, "max_request_header_bytes");
    positive(httpIdleTimeout, "http_idle_timeout_ms");
    positive(maxTelemetryLogBytes, "max_telemetry_log_bytes");
    if (maxOutboundBytes < maxMessageBytes) {
      throw new IllegalArgumentException(
          "max_outbound_bytes ("
              + maxOutboundBytes
              + ") must be at least max_message_bytes ("
              + maxMessageBytes
              + "), or one message could never be sent");
    }
  }

  /** The defaults: see each component. */
  public static EngineLimits defaults() {
    return new EngineLimits(
        64 * MIB,
        128L * MIB,
        Duration.ofSeconds(10),
        Duration.ofSeconds(90),
        Duration.ofMinutes(5),
        16L * MIB,
        16 * 1024,
        Duration.ofSeconds(60),
        8L * MIB);
  }

  public EngineLimits withMaxMessageBytes(int value) {
    return new EngineLimits(
        value,
        maxOutboundBytes,
        handshakeTimeout,
        idleTimeout,
        invocationTimeout,
        maxRequestBodyBytes,
        maxRequestHeaderBytes,
        httpIdleTimeout,
        maxTelemetryLogBytes);
  }

  public EngineLimits withMaxOutboundBytes(long value) {
    return new EngineLimits(
        maxMessageBytes,
        value,
        handshakeTimeout,
        idleTimeout,
        invocationTimeout,
        maxRequestBodyBytes,
        maxRequestHeaderBytes,
        httpIdleTimeout,
        maxTelemetryLogBytes);
  }

  public EngineLimits withHandshakeTimeout(Duration value) {
    return new EngineLimits(
        maxMessageBytes,
        maxOutboundBytes,
        value,
        idleTimeout,
        invocationTimeout,
        maxRequestBodyBytes,
        maxRequestHeaderBytes,
        httpIdleTimeout,
        maxTelemetryLogBytes);
  }

  public EngineLimits withIdleTimeout(Duration value) {
    return new EngineLimits(
        maxMessageBytes,
        maxOutboundBytes,
        handshakeTimeout,
        value,
        invocationTimeout,
        maxRequestBodyBytes,
        maxRequestHeaderBytes,
        httpIdleTimeout,
        maxTelemetryLogBytes);
  }

  public EngineLimits withInvocationTimeout(Duration value) {
    return new EngineLimits(
        maxMessageBytes,
        maxOutboundBytes,
        handshakeTimeout,
        idleTimeout,
        value,
        maxRequestBodyBytes,
        maxRequestHeaderBytes,
        httpIdleTimeout,
        maxTelemetryLogBytes);
  }

  public EngineLimits withMaxRequestBodyBytes(long value) {
    return new EngineLimits(
        maxMessageBytes,
        maxOutboundBytes,
        handshakeTimeout,
        idleTimeout,
        invocationTimeout,
        value,
        maxRequestHeaderBytes,
        httpIdleTimeout,
        maxTelemetryLogBytes);
  }

  public EngineLimits withMaxRequestHeaderBytes(int value) {
    return new EngineLimits(
        maxMessageBytes,
        maxOutboundBytes,
        handshakeTimeout,
        idleTimeout,
        invocationTimeout,
        maxRequestBodyBytes,
        value,
        httpIdleTimeout,
        maxTelemetryLogBytes);
  }

  public EngineLimits withHttpIdleTimeout(Duration value) {
    return new EngineLimits(
        maxMessageBytes,
        maxOutboundBytes,
        handshakeTimeout,
        idleTimeout,
        invocationTimeout,
        maxRequestBodyBytes,
        maxRequestHeaderBytes,
        value,
        maxTelemetryLogBytes);
  }

  public EngineLimits withMaxTelemetryLogBytes(long value) {
    return new EngineLimits(
        maxMessageBytes,
        maxOutboundBytes,
        handshakeTimeout,
        idleTimeout,
        invocationTimeout,
        maxRequestBodyBytes,
        maxRequestHeaderBytes,
        httpIdleTimeout,
        value);
  }

  /** The keys of a config file's {@code limits:} section. */
  static final List<String> KEYS =
      List.of(
          "max_message_bytes",
          "max_outbound_bytes",
          "handshake_timeout_ms",
          "idle_timeout_ms",
          "invocation_timeout_ms",
          "max_request_body_bytes",
          "max_request_header_bytes",
          "http_idle_timeout_ms",
          "max_telemetry_log_bytes");

  /**
   * Reads a config file's {@code limits:} section; what it omits keeps its value in {@code base}.
   * Unknown keys are refused.
   *
   * @throws IllegalArgumentException naming the key that is not valid
   */
  static EngineLimits load(JsonNode section, EngineLimits base) {
    ConfigValues.checkKeys("limits", section, KEYS, true);
    EngineLimits d = base;
    return new EngineLimits(
        Math.toIntExact(
            Math.min(Integer.MAX_VALUE, bytes(section, "max_message_bytes", d.maxMessageBytes))),
        bytes(section, "max_outbound_bytes", d.maxOutboundBytes),
        millis(section, "handshake_timeout_ms", d.handshakeTimeout),
        millis(section, "idle_timeout_ms", d.idleTimeout),
        millis(section, "invocation_timeout_ms", d.invocationTimeout),
        bytes(section, "max_request_body_bytes", d.maxRequestBodyBytes),
        Math.toIntExact(
            Math.min(
                Integer.MAX_VALUE,
                bytes(section, "max_request_header_bytes", d.maxRequestHeaderBytes))),
        millis(section, "http_idle_timeout_ms", d.httpIdleTimeout),
        bytes(section, "max_telemetry_log_bytes", d.maxTelemetryLogBytes));
  }

  private static long bytes(JsonNode section, String key, long fallback) {
    return ConfigValues.number(section.path(key), "limits " + key, fallback);
  }

  private static Duration millis(JsonNode section, String key, Duration fallback) {
    return Duration.ofMillis(
        ConfigValues.number(section.path(key), "limits " + key, fallback.toMillis()));
  }

  private static void positive(long value, String key) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
  }

  private static void positive(Duration value, String key) {
    Objects.requireNonNull(value, key);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, got " + value.toMillis());
    }
  }
}
