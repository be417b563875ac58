package dev.iii.engine.modules.http;

import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.channels.Channel;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.modules.channels.ChannelSlot;
import dev.iii.engine.support.RateLimitedLog;
import dev.iii.protocol.ChannelRef;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One matched request, through the official engine's stages: the configured (global) middleware,
 * the body, the route's condition, the route's middleware, then the function. Its response is
 * decided once, by whichever comes first: the timeout, a stage that answers (a middleware's
 * response, a refusing condition, an error), the function's non-null result, or the response
 * channel (its first binary item or its end).
 *
 * <p>The function gets two channel refs, {@code request_body} and {@code response}, which most
 * functions never open. So they are only {@linkplain ChannelRegistry#reserve reserved}: a channel
 * is built when a worker first connects to it, and only then does the engine take its own end (it
 * writes a JSON body read whole into the request channel and closes it, or starts reading the
 * response). A non-JSON body is the exception: it streams into a channel built once the global
 * middleware let the request through, as it arrives. Whatever is left is forgotten when the
 * response is decided.
 *
 * <p>Concurrency: the stages run on the HTTP connection's event loop, the worker connections' event
 * loops and timer threads, one after another; {@code decision} (first wins) orders the outcome, and
 * the fields a later stage reads are volatile or published before the refs are handed out.
 */
final class HttpExchange {

  private static final Logger log = LoggerFactory.getLogger(HttpExchange.class);

  /** A client can time out requests at will: one line per interval. */
  private static final RateLimitedLog timeouts = new RateLimitedLog(log, Duration.ofSeconds(10));

  /** Items a request's channels buffer, as in the official engine. */
  private static final int CHANNEL_BUFFER = 64;

  private static final byte[] NO_BODY = new byte[0];

  private final ExchangeSettings settings;
  private final ModuleContext context;
  private final HttpServerRequest request;
  private final QueryStringDecoder uri;
  private final RouteTable.Found found;
  private final HttpRoute route;
  private final String method;
  private final CompletableFuture<HttpOutcome> decision = new CompletableFuture<>();
  private final AtomicReference<@Nullable ResponseChannelReader> reader = new AtomicReference<>();
  private final Disposable.Composite work = Disposables.composite();

  /** The channel a non-JSON body streams into, built once the body is read. */
  private volatile @Nullable Channel bodyChannel;

  /** A JSON body, read whole, for the request channel. */
  private volatile byte[] wholeBody = NO_BODY;

  private volatile HttpRequestMapper.@Nullable Parts parts;
  private volatile @Nullable String requestChannelId;
  private volatile @Nullable String responseChannelId;

  HttpExchange(
      ExchangeSettings settings,
      HttpServerRequest request,
      QueryStringDecoder uri,
      RouteTable.Found found) {
    this.settings = settings;
    this.context = settings.context();
    this.request = request;
    this.uri = uri;
    this.found = found;
    this.route = found.route();
    this.method = request.method().name();
  }

  /** Serves the request; the returned {@code Mono} ends once the response is written. */
  Mono<Void> run(HttpServerResponse response) {
    long timeoutMs = settings.timeout().toMillis();
    work.add(Schedulers.parallel().schedule(this::timeOut, timeoutMs, TimeUnit.MILLISECONDS));
    HttpRequestMapper.Parts requestParts;
    try {
      requestParts = HttpRequestMapper.parts(request, uri, found);
    } catch (RequestChecks.BadPathParameter e) {
      requestParts = null;
      decision.complete(HttpErrors.invalidPathParameter(e.reason()));
    } catch (IllegalArgumentException e) {
      // Netty decodes the query lazily; a malformed one is refused before any stage runs, as the
      // official engine's query extractor does.
      requestParts = null;
      decision.complete(
          HttpResultMapper.text(
              HttpResponseStatus.BAD_REQUEST, "Failed to deserialize query string"));
    }
    if (requestParts != null) {
      parts = requestParts;
      guarded(() -> middleware(settings.globalMiddleware(), this::readBody));
    }
    return Mono.fromFuture(decision, true)
        .flatMap(
            outcome -> {
              // As in the official engine: once the response is decided nobody new may
              // connect; ends already taken (a worker streaming the body) keep working.
              forgetChannels();
              return settings.writer().send(request, response, outcome);
            })
        .doFinally(
            signal -> {
              // First, so that no response reader can be set up after the one read below.
              forgetChannels();
              work.dispose();
              ResponseChannelReader current = reader.get();
              if (current != null) {
                current.dispose();
              }
            });
  }

  private void timeOut() {
    if (decision.complete(new HttpOutcome.TimedOut())) {
      timeouts.warn(
          "response timeout",
          "HTTP {} {} (trigger {}): no response from {} within {} ms, sent 504",
          route.method(),
          route.apiPath(),
          route.triggerId(),
          route.functionId(),
          settings.timeout().toMillis());
    }
  }

  private void forgetChannels() {
    String requestId = requestChannelId;
    if (requestId != null) {
      context.channels().remove(requestId);
    }
    String responseId = responseChannelId;
    if (responseId != null) {
      context.channels().remove(responseId);
    }
  }

  /** Runs middleware functions, then {@code next} unless one answered the request. */
  private void middleware(List<String> functionIds, Runnable next) {
    if (functionIds.isEmpty()) {
      next.run();
      return;
    }
    HttpRequestMapper.Parts current = requireParts();
    ObjectNode input = HttpMiddleware.input(HttpRequestMapper.middlewareRequest(current, method));
    settings
        .middleware()
        .run(route, functionIds, input, decision::isDone)
        .whenComplete(
            (outcome, failure) -> {
              if (failure != null) {
                decision.complete(HttpErrors.failed(route, "middleware", failure));
              } else if (outcome != null) {
                decision.complete(outcome);
              } else if (!decision.isDone()) {
                guarded(next);
              }
            });
  }

  /** Reads the body: a JSON one whole, any other streams into a channel as it arrives. */
  private void readBody() {
    if (HttpRequestMapper.isJson(request)) {
      work.add(
          HttpRequestMapper.readWhole(request, settings.bodyLimit())
              .defaultIfEmpty(NO_BODY)
              .subscribe(
                  bytes -> {
                    wholeBody = bytes;
                    JsonNode body;
                    try {
                      body = HttpRequestMapper.parseBody(bytes);
                    } catch (HttpRequestMapper.InvalidBody e) {
                      decision.complete(HttpErrors.invalidJson(e.reason()));
                      return;
                    }
                    guarded(() -> checkCondition(body));
                  },
                  this::bodyFailed));
      return;
    }
    if (HttpRequestMapper.hasBody(request)) {
      Channel channel = context.channels().create(CHANNEL_BUFFER);
      bodyChannel = channel;
      requestChannelId = channel.id();
      if (decision.isDone()) {
        forgetChannels(); // decided meanwhile: whoever forgot the channels may have missed it
        return;
      }
      int limit = settings.bodyLimit();
      work.add(
          HttpRequestMapper.pumpBody(
              request,
              channel.takeWriter().orElseThrow(),
              route,
              limit,
              () -> {
                // Answered already (the function did not wait for its body): nothing to refuse.
                if (!decision.isDone()) {
                  decision.complete(HttpErrors.payloadTooLarge(limit));
                }
              }));
    }
    checkCondition(HttpRequestMapper.nullNode());
  }

  private void bodyFailed(Throwable error) {
    if (error instanceof HttpRequestMapper.BodyTooLarge) {
      decision.complete(HttpErrors.payloadTooLarge(settings.bodyLimit()));
    } else {
      decision.complete(HttpErrors.failed(route, "reading the request body", error));
    }
  }

  /** Runs the condition, if any, then the route's middleware and the function. */
  private void checkCondition(JsonNode body) {
    ObjectNode input = HttpRequestMapper.input(requireParts(), route, method, body);
    Runnable proceed = () -> middleware(route.middlewareFunctionIds(), () -> invokeFunction(input));
    String conditionId = route.conditionFunctionId();
    if (conditionId == null) {
      proceed.run();
      return;
    }
    // The official engine calls conditions without the trigger's metadata.
    context
        .invocations()
        .call(conditionId, input.deepCopy())
        .whenComplete(
            (result, error) -> {
              if (decision.isDone()) {
                return;
              }
              if (error != null) {
                decision.complete(HttpErrors.failed(route, "condition " + conditionId, error));
              } else if (result != null && result.isBoolean() && !result.asBoolean()) {
                decision.complete(HttpErrors.conditionNotMet());
              } else {
                guarded(proceed);
              }
            });
  }

  /** Calls the function with the refs of both channels (reserved, unless a body streams). */
  private void invokeFunction(ObjectNode input) {
    ChannelRegistry channels = context.channels();
    Channel streaming = bodyChannel;
    ChannelRef requestRef;
    if (streaming != null) {
      requestRef = streaming.ref(ChannelRef.Direction.READ);
    } else {
      byte[] body = wholeBody;
      ChannelSlot slot =
          channels.reserve(
              CHANNEL_BUFFER,
              channel ->
                  HttpRequestMapper.writeWhole(channel.takeWriter().orElseThrow(), body, route));
      requestChannelId = slot.id();
      requestRef = slot.ref(ChannelRef.Direction.READ);
    }
    ChannelSlot responseSlot = channels.reserve(CHANNEL_BUFFER, this::readResponse);
    responseChannelId = responseSlot.id();
    if (decision.isDone()) {
      // Decided meanwhile (e.g. timed out): whoever forgot the channels may have missed these.
      forgetChannels();
      return;
    }
    // Written by the codec's mapper when the input is serialised: no tree is built for them.
    input.putPOJO("request_body", requestRef);
    input.putPOJO("response", responseSlot.ref(ChannelRef.Direction.WRITE));
    context
        .invocations()
        .call(route.functionId(), input, route.metadata())
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                decision.complete(HttpErrors.failed(route, route.functionId(), failure));
              } else if (result != null && !result.isNull()) {
                decision.complete(HttpResultMapper.direct(result));
              }
              // A null result: the response channel decides (streaming mode).
            });
  }

  /** Runs a stage; an engine bug in it answers the request instead of leaving it hanging. */
  private void guarded(Runnable stage) {
    try {
      stage.run();
    } catch (RuntimeException e) {
      decision.complete(HttpErrors.failed(route, "the engine", e));
    }
  }

  private HttpRequestMapper.Parts requireParts() {
    HttpRequestMapper.Parts current = parts;
    if (current == null) {
      throw new IllegalStateException("request parts not read yet");
    }
    return current;
  }

  /**
   * A worker opened the response channel: the engine reads it from now on. Runs once, before the
   * worker takes its end; unless streaming wins, the reader stops once the response is decided.
   */
  private void readResponse(Channel channel) {
    ResponseChannelReader channelReader =
        new ResponseChannelReader(decision, HttpRequestMapper.MAPPER, route.functionId());
    reader.set(channelReader);
    channel.takeReader().orElseThrow().items().subscribe(channelReader);
    decision.thenAccept(
        outcome -> {
          if (!(outcome instanceof HttpOutcome.Streaming)) {
            channelReader.dispose();
          }
        });
  }
}
