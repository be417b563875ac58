package dev.iii.engine.modules.http;

import dev.iii.engine.modules.channels.ChannelItem;
import dev.iii.engine.modules.channels.ChannelWriterEnd;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An HTTP request as a function sees it: its input, its JSON body, its streamed body. Stateless.
 */
final class HttpRequestMapper {

  /** Reads request bodies and control messages; a value followed by more text is not JSON. */
  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final Logger log = LoggerFactory.getLogger(HttpRequestMapper.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private HttpRequestMapper() {}

  /** Whether the request's body is JSON: it is parsed into the input, not streamed. */
  static boolean isJson(HttpServerRequest request) {
    String contentType = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
    return contentType != null && contentType.contains("application/json");
  }

  /**
   * Whether the request has a body to stream: a {@code content-length} other than 0, or a {@code
   * transfer-encoding}. Without either an HTTP/1.1 request has none.
   */
  static boolean hasBody(HttpServerRequest request) {
    HttpHeaders headers = request.requestHeaders();
    if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return true;
    }
    String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
    return length != null && !length.trim().equals("0");
  }

  /**
   * The function's input, without the channel references (what a condition sees).
   *
   * @throws IllegalArgumentException when the query string is malformed (Netty decodes it lazily)
   */
  static ObjectNode input(
      HttpServerRequest request, QueryStringDecoder uri, RouteTable.Found found, JsonNode body) {
    HttpRoute route = found.route();
    ObjectNode input = JSON.objectNode();
    ObjectNode query = input.putObject("query_params");
    for (Map.Entry<String, List<String>> parameter : uri.parameters().entrySet()) {
      List<String> values = parameter.getValue();
      query.put(parameter.getKey(), values.isEmpty() ? "" : values.get(values.size() - 1));
    }
    ObjectNode pathParams = input.putObject("path_params");
    found.pathParams().forEach(pathParams::put);
    ObjectNode headers = input.putObject("headers");
    for (Map.Entry<String, String> header : request.requestHeaders()) {
      headers.put(
          header.getKey().toLowerCase(Locale.ROOT),
          HeaderValues.visibleAsciiOrEmpty(header.getValue()));
    }
    input.put("path", route.apiPath());
    input.put("method", request.method().name());
    input.set("body", body);
    ObjectNode trigger = input.putObject("trigger");
    trigger.put("type", RestApiModule.TRIGGER_TYPE);
    trigger.put("path", route.apiPath());
    trigger.put("method", route.method());
    return input;
  }

  /**
   * Streams a non-JSON request body into its channel, one binary item per received chunk, then
   * closes it. One chunk at a time: a full channel stops reading from the connection.
   */
  static Disposable pumpBody(HttpServerRequest request, ChannelWriterEnd writer, HttpRoute route) {
    return request
        .receive()
        .asByteArray()
        .filter(bytes -> bytes.length > 0)
        .concatMap(bytes -> writer.write(ChannelItem.binary(bytes)), 1)
        .doFinally(signal -> writer.close())
        .subscribe(
            null,
            error ->
                log.debug("Request body for {} stopped: {}", route.functionId(), error.toString()));
  }

  /** A JSON body as a tree; an empty or unparsable one is {@code null}, as in the engine. */
  static JsonNode parseBody(byte[] bytes) {
    if (bytes.length == 0) {
      return nullNode();
    }
    try {
      return MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      // As in the official engine: an unparsable JSON body is simply null.
      return nullNode();
    }
  }

  static JsonNode nullNode() {
    return NullNode.getInstance();
  }
}
