package dev.iii.engine.modules.http;

import dev.iii.engine.modules.channels.ChannelItem;
import dev.iii.engine.modules.channels.ChannelWriterEnd;
import dev.iii.protocol.Limits;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
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

  /**
   * How deep a JSON body may nest: the codec's limit ({@link
   * StreamReadConstraints#DEFAULT_MAX_DEPTH}, which the SDKs' Jackson-based decoders share) less
   * the two levels of the message around it ({@code invokefunction} → {@code data} → {@code body}),
   * so that every worker can decode the invocation that carries it.
   */
  static final int MAX_BODY_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH - 2;

  /** Reads JSON request bodies: {@link #MAPPER}'s rules plus {@link #MAX_BODY_DEPTH}. */
  private static final JsonMapper BODY_MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_BODY_DEPTH).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Logger log = LoggerFactory.getLogger(HttpRequestMapper.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private HttpRequestMapper() {}

  /**
   * Whether the request's body is JSON: it is read whole, parsed into the input and also handed to
   * the request channel.
   */
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
   * The parts of a request every stage sees: {@code query_params} (the last value of a repeated
   * name), {@code path_params} and {@code headers} (lower-case names, values that are not visible
   * ASCII as empty strings).
   */
  record Parts(ObjectNode queryParams, ObjectNode pathParams, ObjectNode headers) {}

  /**
   * Reads the parts of a request.
   *
   * @throws RequestChecks.BadPathParameter when a path parameter does not decode to text
   * @throws IllegalArgumentException when the query string is malformed (Netty decodes it lazily)
   */
  static Parts parts(HttpServerRequest request, QueryStringDecoder uri, RouteTable.Found found) {
    ObjectNode query = JSON.objectNode();
    for (Map.Entry<String, List<String>> parameter : uri.parameters().entrySet()) {
      List<String> values = parameter.getValue();
      query.put(parameter.getKey(), values.isEmpty() ? "" : values.get(values.size() - 1));
    }
    ObjectNode pathParams = JSON.objectNode();
    found
        .pathParams()
        .forEach((name, raw) -> pathParams.put(name, RequestChecks.decodePathParameter(raw)));
    ObjectNode headers = JSON.objectNode();
    for (Map.Entry<String, String> header : request.requestHeaders()) {
      headers.put(
          header.getKey().toLowerCase(Locale.ROOT),
          HeaderValues.visibleAsciiOrEmpty(header.getValue()));
    }
    return new Parts(query, pathParams, headers);
  }

  /** The {@code request} a middleware function gets, keys sorted as the official engine's. */
  static ObjectNode middlewareRequest(Parts parts, String method) {
    ObjectNode request = JSON.objectNode();
    request.set("headers", parts.headers());
    request.put("method", method);
    request.set("path_params", parts.pathParams());
    request.set("query_params", parts.queryParams());
    return request;
  }

  /** The function's input, without the channel references (what a condition sees). */
  static ObjectNode input(Parts parts, HttpRoute route, String method, JsonNode body) {
    ObjectNode input = JSON.objectNode();
    input.set("query_params", parts.queryParams());
    input.set("path_params", parts.pathParams());
    input.set("headers", parts.headers());
    input.put("path", route.apiPath());
    input.put("method", method);
    input.set("body", body);
    ObjectNode trigger = input.putObject("trigger");
    trigger.put("type", RestApiModule.TRIGGER_TYPE);
    trigger.put("path", route.apiPath());
    trigger.put("method", route.method());
    return input;
  }

  /**
   * Reads a JSON body whole, up to {@code limit} bytes: a larger one (by its {@code content-length}
   * or as it arrives) fails with {@link BodyTooLarge}, so that nobody can make the engine buffer
   * without bound.
   */
  static Mono<byte[]> readWhole(HttpServerRequest request, int limit) {
    String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
    if (length != null
        && length.trim().matches("\\d{1,18}")
        && Long.parseLong(length.trim()) > limit) {
      return Mono.error(new BodyTooLarge());
    }
    return request
        .receive()
        .asByteArray()
        .reduceWith(
            ByteArrayOutputStream::new,
            (buffer, chunk) -> {
              if (buffer.size() + (long) chunk.length > limit) {
                throw new BodyTooLarge();
              }
              buffer.writeBytes(chunk);
              return buffer;
            })
        .map(ByteArrayOutputStream::toByteArray);
  }

  /** A request body over the engine's limit. */
  static final class BodyTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("request body too large", null, false, false);
    }
  }

  /**
   * Streams a non-JSON request body into its channel, one binary item per received chunk, then
   * closes it. One chunk at a time: a full channel stops reading from the connection. Past {@code
   * limit} bytes it stops reading, closes the channel (as the official engine does when a body
   * breaks off) and calls {@code tooLarge}.
   */
  static Disposable pumpBody(
      HttpServerRequest request,
      ChannelWriterEnd writer,
      HttpRoute route,
      int limit,
      Runnable tooLarge) {
    long[] received = {0};
    return request
        .receive()
        .asByteArray()
        .filter(bytes -> bytes.length > 0)
        .handle(
            (bytes, sink) -> {
              received[0] += bytes.length;
              if (received[0] > limit) {
                sink.error(new BodyTooLarge());
              } else {
                sink.next(bytes);
              }
            })
        .concatMap(bytes -> writer.write(ChannelItem.binary((byte[]) bytes)), 1)
        .doFinally(signal -> writer.close())
        .subscribe(
            null,
            error -> {
              if (error instanceof BodyTooLarge) {
                tooLarge.run();
              } else {
                log.debug("Request body for {} stopped: {}", route.functionId(), error.toString());
              }
            });
  }

  /**
   * Writes a body read whole into a request channel and ends it, as the official engine does for
   * JSON bodies. Chunked as the SDKs write channel data, so no single frame gets large; the writes
   * are queued at once (the bytes are in memory anyway) and the reader takes them at its pace.
   */
  static void writeWhole(ChannelWriterEnd writer, byte[] body, HttpRoute route) {
    for (int from = 0; from < body.length; from += Limits.CHANNEL_CHUNK_BYTES) {
      int to = Math.min(body.length, from + Limits.CHANNEL_CHUNK_BYTES);
      writer
          .write(ChannelItem.binary(Arrays.copyOfRange(body, from, to)))
          .subscribe(
              null,
              error ->
                  log.debug(
                      "Request body for {} not delivered: {}",
                      route.functionId(),
                      error.toString()));
    }
    writer.close();
  }

  /**
   * A JSON body as a tree; an empty one is {@code null}, as in the official engine.
   *
   * @throws InvalidBody when it does not parse (the official engine would pass {@code null} on)
   */
  static JsonNode parseBody(byte[] bytes) {
    if (bytes.length == 0) {
      return nullNode();
    }
    JsonNode tree;
    try {
      tree = BODY_MAPPER.readTree(bytes);
    } catch (StreamConstraintsException e) {
      throw new InvalidBody(
          "Request body is not valid JSON: nested deeper than " + MAX_BODY_DEPTH + " levels");
    } catch (JacksonException e) {
      TokenStreamLocation at = e.getLocation();
      throw new InvalidBody(
          at == null
              ? "Request body is not valid JSON"
              : "Request body is not valid JSON (line "
                  + at.getLineNr()
                  + ", column "
                  + at.getColumnNr()
                  + ")");
    }
    return tree == null || tree.isMissingNode() ? nullNode() : tree;
  }

  /** A JSON body that does not parse; the message says where, never what it contains. */
  static final class InvalidBody extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    InvalidBody(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }

    /** What is wrong with the body, for the response. */
    String reason() {
      return reason;
    }
  }

  static JsonNode nullNode() {
    return NullNode.getInstance();
  }
}
