package dev.iii.engine.modules.http;

import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.support.RateLimitedLog;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The errors the engine itself answers HTTP requests with, in the official envelope {@code
 * {"error":{"code","message","error_id"?}}} ({@code error_id} only on 5xx, to find the log line).
 * Keys are written in sorted order, as the official engine's JSON maps write them.
 *
 * <p>Concurrency: stateless but for the rate-limited log of refusals, which is lock-free.
 */
final class HttpErrors {

  private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

  /** Refusals any client can provoke at will: one WARN line per cause per interval. */
  private static final RateLimitedLog refusals = new RateLimitedLog(log, Duration.ofSeconds(10));

  /** The code and message of an engine failure whose details are not the caller's business. */
  static final String INTERNAL_CODE = "INTERNAL_ERROR";

  static final String INTERNAL_MESSAGE = "internal server error";

  private HttpErrors() {}

  /** 404 for a request no route serves. */
  static HttpOutcome notFound() {
    return envelope(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "Not Found", null, false);
  }

  /** 422 when the route's condition function answered {@code false}. */
  static HttpOutcome conditionNotMet() {
    return envelope(
        HttpResponseStatus.UNPROCESSABLE_ENTITY,
        "CONDITION_NOT_MET",
        "Request condition not met",
        null,
        true);
  }

  /** 504 when a middleware function did not answer in time. */
  static HttpOutcome middlewareTimeout() {
    return envelope(
        HttpResponseStatus.GATEWAY_TIMEOUT,
        "MIDDLEWARE_TIMEOUT",
        "Middleware timeout",
        null,
        false);
  }

  /**
   * 413 when a request body is larger than {@code limits.max_request_body_bytes} (the official
   * engine has no limit; this one refuses rather than buffer without bound). The connection is
   * closed: the rest of the body is never read.
   */
  static HttpOutcome payloadTooLarge(long limit) {
    refusals.warn(
        "body too large",
        "HTTP request refused with 413: its body is larger than {} bytes"
            + " (limits.max_request_body_bytes)",
        limit);
    return envelope(
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        "Request body is larger than " + limit + " bytes",
        null,
        false,
        true);
  }

  /**
   * 400 for a request head that could be read two ways (framing) or lacks its {@code Host}. The
   * connection is closed, since what follows on it cannot be trusted to be a request.
   */
  static HttpOutcome badFraming(String reason) {
    refusals.warn("bad request head", "HTTP request refused with 400: {}", reason);
    return envelope(
        HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "Bad request: " + reason, null, false, true);
  }

  /**
   * 400 for an {@code application/json} body that does not parse (the official engine passes such a
   * body on as {@code null}; this one says so instead: see the package documentation).
   */
  static HttpOutcome invalidJson(String message) {
    return envelope(HttpResponseStatus.BAD_REQUEST, "INVALID_JSON", message, null, false, false);
  }

  /** 400 for a path parameter that does not decode to text. */
  static HttpOutcome invalidPathParameter(String message) {
    return envelope(
        HttpResponseStatus.BAD_REQUEST,
        "INVALID_PATH_PARAMETER",
        "Bad request: " + message,
        null,
        false,
        false);
  }

  /**
   * 500 for a failed call (handler, condition or middleware): the function's own error code and
   * message, as the official engine passes them on, plus an {@code error_id} the log line carries
   * too. A failure that is not a function's error is the engine's own, and its details stay in the
   * log.
   *
   * @param stage what failed, for the log line (e.g. "condition cond::x")
   */
  static HttpOutcome failed(HttpRoute route, String stage, Throwable failure) {
    String errorId = errorId();
    Throwable cause = unwrap(failure);
    String code = INTERNAL_CODE;
    String message = INTERNAL_MESSAGE;
    if (cause instanceof InvocationError error) {
      code = error.body().code();
      message = error.body().message();
      log.error(
          "HTTP {} {} (trigger {}): {} failed, error_id {}: {}: {}",
          route.method(),
          route.apiPath(),
          route.triggerId(),
          stage,
          errorId,
          code,
          message);
    } else {
      log.error(
          "HTTP {} {} (trigger {}): {} failed, error_id {}",
          route.method(),
          route.apiPath(),
          route.triggerId(),
          stage,
          errorId,
          cause);
    }
    return envelope(HttpResponseStatus.INTERNAL_SERVER_ERROR, code, message, errorId, false);
  }

  /** The failure inside the completion wrappers of {@code CompletableFuture}. */
  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static HttpOutcome envelope(
      HttpResponseStatus status,
      String code,
      String message,
      @Nullable String errorId,
      boolean skipped) {
    return envelope(status, code, message, errorId, skipped, false);
  }

  /**
   * @param close whether the connection is closed after the response ({@code connection: close})
   */
  private static HttpOutcome envelope(
      HttpResponseStatus status,
      String code,
      String message,
      @Nullable String errorId,
      boolean skipped,
      boolean close) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    if (errorId != null) {
      error.put("error_id", errorId);
    }
    error.put("message", message);
    if (skipped) {
      body.put("skipped", true);
    }
    HttpHeaders headers = new DefaultHttpHeaders();
    if (close) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return HttpResultMapper.json(status, headers, HttpRequestMapper.MAPPER.writeValueAsBytes(body));
  }

  /** The official engine's error id: the low 48 bits of the Unix time in nanoseconds, in hex. */
  static String errorId() {
    Instant now = Instant.now();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return Long.toHexString(nanos & 0xFFFF_FFFF_FFFFL);
  }
}
