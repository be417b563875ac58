package dev.iii.engine.modules.http;

import dev.iii.engine.registry.InvocationError;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A function's result, or a failure, as the HTTP response it stands for. Stateless. */
final class HttpResultMapper {

  private static final Logger log = LoggerFactory.getLogger(HttpResultMapper.class);

  static final byte[] CONDITION_NOT_MET =
      "{\"error\":\"Request condition not met\",\"skipped\":true}".getBytes(StandardCharsets.UTF_8);

  private HttpResultMapper() {}

  /**
   * Direct mode: {@code status_code} (100-999, else 200), {@code body} as JSON ({@code {}} when
   * missing) and {@code headers} (applied, unlike the official engine 0.8.3).
   */
  static HttpOutcome direct(JsonNode result) {
    HttpResponseStatus status = HttpResponseStatus.OK;
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    HttpHeaders headers = new DefaultHttpHeaders();
    if (result.isObject()) {
      JsonNode code = result.path("status_code");
      if (code.isIntegralNumber() && code.canConvertToInt()) {
        int value = code.asInt();
        if (value >= 100 && value <= 999) {
          status = HttpResponseStatus.valueOf(value);
        }
      }
      if (result.has("body")) {
        body = HttpRequestMapper.MAPPER.writeValueAsBytes(result.get("body"));
      }
      for (Map.Entry<String, JsonNode> header : result.path("headers").properties()) {
        JsonNode value = header.getValue();
        if (value.isValueNode() && !value.isNull() && !isFraming(header.getKey())) {
          HeaderValues.setIfValid(headers, header.getKey(), value.asString());
        }
      }
    }
    return json(status, headers, body);
  }

  /** Headers the engine computes itself; a function's values would corrupt the framing. */
  private static boolean isFraming(String name) {
    return name.equalsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH.toString())
        || name.equalsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING.toString());
  }

  /** A JSON response; a {@code content-type} the function chose takes precedence. */
  static HttpOutcome json(HttpResponseStatus status, HttpHeaders headers, byte[] body) {
    if (!headers.contains(HttpHeaderNames.CONTENT_TYPE)) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    return new HttpOutcome.Complete(status, headers, body);
  }

  static HttpOutcome text(HttpResponseStatus status, String text) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return new HttpOutcome.Complete(status, headers, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A 500 with an error id the log line carries too; the details never reach the client. */
  static HttpOutcome internalError(HttpRoute route, String failedId, Throwable failure) {
    String errorId = errorId();
    InvocationError error = InvocationError.of(failure);
    log.warn(
        "HTTP {} {} (trigger {}): {} failed, error_id {}: {}",
        route.method(),
        route.apiPath(),
        route.triggerId(),
        failedId,
        errorId,
        error.getMessage());
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", "internal server error");
    body.put("error_id", errorId);
    return json(
        HttpResponseStatus.INTERNAL_SERVER_ERROR,
        new DefaultHttpHeaders(),
        HttpRequestMapper.MAPPER.writeValueAsBytes(body));
  }

  /** The official engine's error id: the low 48 bits of the Unix time in nanoseconds, in hex. */
  private static String errorId() {
    Instant now = Instant.now();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return Long.toHexString(nanos & 0xFFFF_FFFF_FFFFL);
  }
}
