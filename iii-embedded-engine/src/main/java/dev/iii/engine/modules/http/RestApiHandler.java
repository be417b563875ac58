package dev.iii.engine.modules.http;

import dev.iii.engine.config.RestApiConfig;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.channels.Channel;
import dev.iii.engine.modules.channels.ChannelItem;
import dev.iii.engine.modules.channels.ChannelWriterEnd;
import dev.iii.engine.registry.InvocationError;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves one HTTP port: resolves each request against the route table, invokes the bound function
 * and turns its answer (a result, or the response channel) into the HTTP response. Nothing here
 * blocks: every wait is a future or a reactive stream.
 */
final class RestApiHandler {

  private static final Logger log = LoggerFactory.getLogger(RestApiHandler.class);

  /** Items a request's channels buffer, as in the official engine. */
  private static final int CHANNEL_BUFFER = 64;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final byte[] CONDITION_NOT_MET =
      "{\"error\":\"Request condition not met\",\"skipped\":true}".getBytes(StandardCharsets.UTF_8);

  private final ModuleContext context;
  private final RouteTable routes;
  private final Duration timeout;
  private final Cors cors;
  private final RequestLimiter limiter;
  private final JsonMapper mapper =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  RestApiHandler(ModuleContext context, RouteTable routes, RestApiConfig config) {
    this.context = context;
    this.routes = routes;
    this.timeout = config.defaultTimeout();
    this.cors = new Cors(config.cors());
    this.limiter = new RequestLimiter(config.concurrencyRequestLimit());
  }

  /** Answers one request on the HTTP port. */
  Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    if (request.method().equals(HttpMethod.OPTIONS)) {
      // The official CORS layer answers every OPTIONS request itself, route or not.
      cors.applyToPreflight(request.requestHeaders(), response.responseHeaders());
      return response.status(HttpResponseStatus.OK).send();
    }
    QueryStringDecoder uri =
        QueryStringDecoder.builder().semicolonIsNormalChar(true).build(request.uri());
    String method = request.method().name();
    RouteTable.Match match = routes.match(uri.rawPath(), method);
    if (match instanceof RouteTable.Found found) {
      return limiter.run(() -> serve(request, response, uri, found));
    }
    if (match instanceof RouteTable.HeadWithoutRoute) {
      return send(request, response, text(HttpResponseStatus.NOT_FOUND, "Not Found"));
    }
    cors.applyToResponse(request.requestHeaders(), response.responseHeaders());
    if (match instanceof RouteTable.MethodNotAllowed notAllowed) {
      return response
          .status(HttpResponseStatus.METHOD_NOT_ALLOWED)
          .header(HttpHeaderNames.ALLOW, notAllowed.allow())
          .send();
    }
    return response.status(HttpResponseStatus.NOT_FOUND).send();
  }

  /** Serves a matched request; the response is decided once, by whichever comes first. */
  private Mono<Void> serve(
      HttpServerRequest request,
      HttpServerResponse response,
      QueryStringDecoder uri,
      RouteTable.Found found) {
    return new Exchange(request, uri, found).run(response);
  }

  /**
   * One matched request. Its response is decided once, by whichever comes first: the timeout, a
   * condition that refuses, the function's non-null result or error, or the response channel (its
   * first binary item or its end).
   */
  private final class Exchange {

    private final HttpServerRequest request;
    private final QueryStringDecoder uri;
    private final RouteTable.Found found;
    private final HttpRoute route;
    private final CompletableFuture<HttpOutcome> decision = new CompletableFuture<>();
    private final Channel requestChannel = context.channels().create(CHANNEL_BUFFER);
    private final Channel responseChannel = context.channels().create(CHANNEL_BUFFER);
    private final AtomicReference<@Nullable ResponseChannelReader> reader = new AtomicReference<>();

    Exchange(HttpServerRequest request, QueryStringDecoder uri, RouteTable.Found found) {
      this.request = request;
      this.uri = uri;
      this.found = found;
      this.route = found.route();
    }

    Mono<Void> run(HttpServerResponse response) {
      Disposable timer =
          Schedulers.parallel().schedule(this::timeOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
      ChannelWriterEnd requestWriter = requestChannel.takeWriter().orElseThrow();
      String contentType = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
      Disposable bodyPump;
      Mono<JsonNode> body;
      if (contentType != null && contentType.contains("application/json")) {
        // A JSON body is parsed into the input; its channel carries nothing.
        requestWriter.close();
        bodyPump = Disposables.disposed();
        body =
            request
                .receive()
                .aggregate()
                .asByteArray()
                .map(RestApiHandler.this::parseBody)
                .defaultIfEmpty(nullNode());
      } else {
        bodyPump = pumpBody(request, requestWriter, route);
        body = Mono.just(nullNode());
      }
      Disposable start =
          body.subscribe(
              parsed -> {
                try {
                  invoke(parsed);
                } catch (RuntimeException e) {
                  decision.complete(internalError(route, "the engine", e));
                }
              },
              error -> decision.complete(internalError(route, "reading the request body", error)));
      return Mono.fromFuture(decision, true)
          .flatMap(
              outcome -> {
                // As in the official engine: once the response is decided nobody new may
                // connect; ends already taken (a worker streaming the body) keep working.
                forgetChannels();
                return send(request, response, outcome);
              })
          .doFinally(
              signal -> {
                forgetChannels();
                timer.dispose();
                start.dispose();
                bodyPump.dispose();
                ResponseChannelReader current = reader.get();
                if (current != null) {
                  current.dispose();
                }
              });
    }

    private void timeOut() {
      if (decision.complete(new HttpOutcome.TimedOut())) {
        log.warn(
            "HTTP {} {} (trigger {}): no response from {} within {} ms, sent 504",
            route.method(),
            route.apiPath(),
            route.triggerId(),
            route.functionId(),
            timeout.toMillis());
      }
    }

    private void forgetChannels() {
      context.channels().remove(requestChannel.id());
      context.channels().remove(responseChannel.id());
    }

    /** Runs the condition, if any, then the function. */
    private void invoke(JsonNode body) {
      ObjectNode input;
      try {
        input = input(request, uri, found, body);
      } catch (IllegalArgumentException e) {
        // Netty decodes the query lazily; a malformed one is the client's error, as in the
        // official engine.
        decision.complete(
            text(HttpResponseStatus.BAD_REQUEST, "Failed to deserialize query string"));
        return;
      }
      String conditionId = route.conditionFunctionId();
      if (conditionId == null) {
        invokeFunction(input);
        return;
      }
      context
          .invocations()
          .call(conditionId, input.deepCopy())
          .whenComplete(
              (result, error) -> {
                if (decision.isDone()) {
                  return;
                }
                if (error != null) {
                  decision.complete(internalError(route, "condition " + conditionId, error));
                } else if (result != null && result.isBoolean() && !result.asBoolean()) {
                  decision.complete(
                      json(
                          HttpResponseStatus.UNPROCESSABLE_ENTITY,
                          new DefaultHttpHeaders(),
                          CONDITION_NOT_MET));
                } else {
                  invokeFunction(input);
                }
              });
    }

    /** Calls the function and starts reading its response channel. */
    private void invokeFunction(ObjectNode input) {
      input.set("request_body", ref(requestChannel, "read"));
      input.set("response", ref(responseChannel, "write"));
      ResponseChannelReader channelReader =
          new ResponseChannelReader(decision, mapper, route.functionId());
      reader.set(channelReader);
      responseChannel.takeReader().orElseThrow().items().subscribe(channelReader);
      decision.thenAccept(
          outcome -> {
            if (!(outcome instanceof HttpOutcome.Streaming)) {
              channelReader.dispose();
            }
          });
      context
          .invocations()
          .call(route.functionId(), input)
          .whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  decision.complete(internalError(route, route.functionId(), failure));
                } else if (result != null && !result.isNull()) {
                  decision.complete(direct(result));
                }
                // A null result: the response channel decides (streaming mode).
              });
    }
  }

  /** The function's input, without the channel references (what a condition sees). */
  private ObjectNode input(
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

  private static ObjectNode ref(Channel channel, String direction) {
    ObjectNode ref = JSON.objectNode();
    ref.put("channel_id", channel.id());
    ref.put("access_key", channel.accessKey());
    ref.put("direction", direction);
    return ref;
  }

  /**
   * Streams a non-JSON request body into its channel, one binary item per received chunk, then
   * closes it. One chunk at a time: a full channel stops reading from the connection.
   */
  private static Disposable pumpBody(
      HttpServerRequest request, ChannelWriterEnd writer, HttpRoute route) {
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

  private JsonNode parseBody(byte[] bytes) {
    if (bytes.length == 0) {
      return nullNode();
    }
    try {
      return mapper.readTree(bytes);
    } catch (JacksonException e) {
      // As in the official engine: an unparsable JSON body is simply null.
      return nullNode();
    }
  }

  private static JsonNode nullNode() {
    return NullNode.getInstance();
  }

  /**
   * Direct mode: {@code status_code} (100-999, else 200), {@code body} as JSON ({@code {}} when
   * missing) and {@code headers} (applied, unlike the official engine 0.8.3).
   */
  private HttpOutcome direct(JsonNode result) {
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
        body = mapper.writeValueAsBytes(result.get("body"));
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
  private static HttpOutcome json(HttpResponseStatus status, HttpHeaders headers, byte[] body) {
    if (!headers.contains(HttpHeaderNames.CONTENT_TYPE)) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    return new HttpOutcome.Complete(status, headers, body);
  }

  private static HttpOutcome text(HttpResponseStatus status, String text) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return new HttpOutcome.Complete(status, headers, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A 500 with an error id the log line carries too; the details never reach the client. */
  private HttpOutcome internalError(HttpRoute route, String failedId, Throwable failure) {
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
    ObjectNode body = JSON.objectNode();
    body.put("error", "internal server error");
    body.put("error_id", errorId);
    return json(
        HttpResponseStatus.INTERNAL_SERVER_ERROR,
        new DefaultHttpHeaders(),
        mapper.writeValueAsBytes(body));
  }

  /** The official engine's error id: the low 48 bits of the Unix time in nanoseconds, in hex. */
  private static String errorId() {
    Instant now = Instant.now();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return Long.toHexString(nanos & 0xFFFF_FFFF_FFFFL);
  }

  /** Statuses HTTP sends without a body (the official server drops it too). */
  private static boolean forbidsBody(HttpResponseStatus status) {
    int code = status.code();
    return code < 200 || code == 204 || code == 304;
  }

  private Mono<Void> send(
      HttpServerRequest request, HttpServerResponse response, HttpOutcome outcome) {
    if (outcome instanceof HttpOutcome.TimedOut) {
      // The timeout sits outside the CORS layer in the official engine: no CORS headers here.
      return response.status(HttpResponseStatus.GATEWAY_TIMEOUT).send();
    }
    HttpHeaders headers = response.responseHeaders();
    if (outcome instanceof HttpOutcome.Complete complete) {
      headers.add(complete.headers());
      cors.applyToResponse(request.requestHeaders(), headers);
      if (forbidsBody(complete.status())) {
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        return response.status(complete.status()).send();
      }
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, complete.body().length);
      return response.status(complete.status()).sendByteArray(Mono.just(complete.body())).then();
    }
    HttpOutcome.Streaming streaming = (HttpOutcome.Streaming) outcome;
    headers.add(streaming.headers());
    cors.applyToResponse(request.requestHeaders(), headers);
    // Flush every chunk: server-sent events must reach the client as they are written.
    return response.status(streaming.status()).send(streaming.body(), chunk -> true).then();
  }
}
