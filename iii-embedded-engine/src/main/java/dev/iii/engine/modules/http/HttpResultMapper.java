package dev.iii.engine.modules.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A function's direct result (or a middleware's {@code respond}) as the HTTP response it stands
 * for, by the official engine's rules. Stateless.
 */
final class HttpResultMapper {

  private static final byte[] EMPTY = new byte[0];

  private HttpResultMapper() {}

  /**
   * Direct mode: {@code status_code} (see {@link #status}), {@code headers} as a map of strings or
   * as {@code ["Name: value"]} lines (appended in order, so a name may repeat), and {@code body}
   * ({@code {}} when missing). With a {@code content-type} of its own (any case) a string body is
   * sent as is, a {@code null} body as nothing, and under a non-JSON type any other value as its
   * JSON text; otherwise the body is JSON and the engine adds {@code content-type:
   * application/json}.
   */
  static HttpOutcome direct(JsonNode result) {
    List<Map.Entry<String, String>> requested = headerList(result.path("headers"));
    String contentType = null;
    for (Map.Entry<String, String> header : requested) {
      if (header.getKey().equalsIgnoreCase(HttpHeaderNames.CONTENT_TYPE.toString())) {
        contentType = header.getValue();
        break;
      }
    }
    JsonNode body = result.has("body") ? result.get("body") : null;
    byte[] bytes;
    if (contentType != null && body != null && body.isString()) {
      bytes = body.asString().getBytes(StandardCharsets.UTF_8);
    } else if (contentType != null && body != null && body.isNull()) {
      bytes = EMPTY;
    } else if (body == null) {
      bytes = "{}".getBytes(StandardCharsets.UTF_8);
    } else {
      // JSON text either way: under a non-JSON type it is the value's text, with no default type.
      bytes = HttpRequestMapper.MAPPER.writeValueAsBytes(body);
    }
    HttpHeaders headers = new DefaultHttpHeaders();
    for (Map.Entry<String, String> header : requested) {
      if (!isFraming(header.getKey())) {
        HeaderValues.addIfValid(headers, header.getKey(), header.getValue());
      }
    }
    HttpResponseStatus status = HttpResponseStatus.valueOf(status(result.path("status_code")));
    if (contentType == null) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    return new HttpOutcome.Complete(status, headers, bytes);
  }

  /**
   * A middleware's {@code respond}: {@code status_code} as in {@link #direct}, {@code body} always
   * as JSON ({@code null} when missing) and {@code headers} only as a map whose values are all
   * strings (otherwise none), each replacing the engine's.
   */
  static HttpOutcome respond(JsonNode response) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    JsonNode requested = response.path("headers");
    boolean allStrings = requested.isObject();
    for (Map.Entry<String, JsonNode> header : requested.properties()) {
      allStrings &= header.getValue().isString();
    }
    if (allStrings) {
      for (Map.Entry<String, JsonNode> header : requested.properties()) {
        if (!isFraming(header.getKey())) {
          HeaderValues.setIfValid(headers, header.getKey(), header.getValue().asString());
        }
      }
    }
    JsonNode body = response.has("body") ? response.get("body") : HttpRequestMapper.nullNode();
    return new HttpOutcome.Complete(
        HttpResponseStatus.valueOf(status(response.path("status_code"))),
        headers,
        HttpRequestMapper.MAPPER.writeValueAsBytes(body));
  }

  /**
   * A status code as the official engine reads it: an unsigned integer cut to 16 bits, kept when it
   * is 100-999, else 200.
   */
  static int status(JsonNode code) {
    if (code.isIntegralNumber()) {
      BigInteger value = code.bigIntegerValue();
      if (value.signum() >= 0 && value.bitLength() <= 64) {
        int status = value.intValue() & 0xFFFF;
        if (status >= 100 && status <= 999) {
          return status;
        }
      }
    }
    return HttpResponseStatus.OK.code();
  }

  /** The headers of a direct result: string values of a map, or {@code "Name: value"} lines. */
  private static List<Map.Entry<String, String>> headerList(JsonNode headers) {
    List<Map.Entry<String, String>> result = new ArrayList<>();
    if (headers.isArray()) {
      for (JsonNode line : headers) {
        Map.Entry<String, String> parsed = line.isString() ? headerLine(line.asString()) : null;
        if (parsed != null) {
          result.add(parsed);
        }
      }
    } else if (headers.isObject()) {
      for (Map.Entry<String, JsonNode> header : headers.properties()) {
        if (header.getValue().isString()) {
          result.add(Map.entry(header.getKey(), header.getValue().asString()));
        }
      }
    }
    return result;
  }

  private static Map.@Nullable Entry<String, String> headerLine(String line) {
    int colon = line.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String name = line.substring(0, colon).trim();
    return name.isEmpty() ? null : Map.entry(name, line.substring(colon + 1).trim());
  }

  /** Headers the engine computes itself; a function's values would corrupt the framing. */
  private static boolean isFraming(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals(HttpHeaderNames.CONTENT_LENGTH.toString())
        || lower.equals(HttpHeaderNames.TRANSFER_ENCODING.toString());
  }

  /** A JSON response; a {@code content-type} already in {@code headers} takes precedence. */
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
}
