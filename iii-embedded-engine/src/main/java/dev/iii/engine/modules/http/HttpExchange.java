package dev.iii.engine.modules.http;

import static dev.iii.engine.modules.http.HttpResultMapper.internalError;

import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.channels.Channel;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.modules.channels.ChannelSlot;
import dev.iii.protocol.ChannelRef;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
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
 * One matched request. Its response is decided once, by whichever comes first: the timeout, a
 * condition that refuses, the function's non-null result or error, or the response channel (its
 * first binary item or its end).
 *
 * <p>The function gets two channel refs, {@code request_body} and {@code response}, which most
 * functions never open. So they are only {@linkplain ChannelRegistry#reserve reserved}: a channel
 * is built when a worker first connects to it, and only then does the engine take its own end (it
 * closes a body-less request's writer, or starts reading the response). A non-JSON body is the
 * exception: it streams into a channel built at once, as it arrives. Whatever is left is forgotten
 * when the response is decided.
 *
 * <p>Concurrency: the steps run on the HTTP connection's event loop, the worker connections' event
 * loops and the timer thread; {@code decision} (first wins) orders them, and the channel ids are
 * published through volatile fields before the refs are handed out.
 */
final class HttpExchange {

  private static final Logger log = LoggerFactory.getLogger(HttpExchange.class);

  /** Items a request's channels buffer, as in the official engine. */
  private static final int CHANNEL_BUFFER = 64;

  private final ModuleContext context;
  private final HttpResponseWriter writer;
  private final Duration timeout;
  private final HttpServerRequest request;
  private final QueryStringDecoder uri;
  private final RouteTable.Found found;
  private final HttpRoute route;
  private final CompletableFuture<HttpOutcome> decision = new CompletableFuture<>();
  private final AtomicReference<@Nullable ResponseChannelReader> reader = new AtomicReference<>();

  /** The channel a non-JSON body streams into, built when the request arrives. */
  private volatile @Nullable Channel bodyChannel;

  private volatile @Nullable String requestChannelId;
  private volatile @Nullable String responseChannelId;

  HttpExchange(
      ModuleContext context,
      HttpResponseWriter writer,
      Duration timeout,
      HttpServerRequest request,
      QueryStringDecoder uri,
      RouteTable.Found found) {
    this.context = context;
    this.writer = writer;
    this.timeout = timeout;
    this.request = request;
    this.uri = uri;
    this.found = found;
    this.route = found.route();
  }

  /** Serves the request; the returned {@code Mono} ends once the response is written. */
  Mono<Void> run(HttpServerResponse response) {
    Disposable timer =
        Schedulers.parallel().schedule(this::timeOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
    Disposable pump = Disposables.disposed();
    Mono<JsonNode> body;
    if (HttpRequestMapper.isJson(request)) {
      // A JSON body is parsed into the input; its channel carries nothing.
      body =
          request
              .receive()
              .aggregate()
              .asByteArray()
              .map(HttpRequestMapper::parseBody)
              .defaultIfEmpty(HttpRequestMapper.nullNode());
    } else {
      if (HttpRequestMapper.hasBody(request)) {
        Channel channel = context.channels().create(CHANNEL_BUFFER);
        bodyChannel = channel;
        requestChannelId = channel.id();
        pump = HttpRequestMapper.pumpBody(request, channel.takeWriter().orElseThrow(), route);
      }
      body = Mono.just(HttpRequestMapper.nullNode());
    }
    Disposable bodyPump = pump;
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
              return writer.send(request, response, outcome);
            })
        .doFinally(
            signal -> {
              // First, so that no response reader can be set up after the one read below.
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
    String requestId = requestChannelId;
    if (requestId != null) {
      context.channels().remove(requestId);
    }
    String responseId = responseChannelId;
    if (responseId != null) {
      context.channels().remove(responseId);
    }
  }

  /** Runs the condition, if any, then the function. */
  private void invoke(JsonNode body) {
    ObjectNode input;
    try {
      input = HttpRequestMapper.input(request, uri, found, body);
    } catch (IllegalArgumentException e) {
      // Netty decodes the query lazily; a malformed one is the client's error, as in the
      // official engine.
      decision.complete(
          HttpResultMapper.text(
              HttpResponseStatus.BAD_REQUEST, "Failed to deserialize query string"));
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
                    HttpResultMapper.json(
                        HttpResponseStatus.UNPROCESSABLE_ENTITY,
                        new DefaultHttpHeaders(),
                        HttpResultMapper.CONDITION_NOT_MET));
              } else {
                invokeFunction(input);
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
      ChannelSlot slot = channels.reserve(CHANNEL_BUFFER, HttpExchange::endWithoutData);
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
        .call(route.functionId(), input)
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                decision.complete(internalError(route, route.functionId(), failure));
              } else if (result != null && !result.isNull()) {
                decision.complete(HttpResultMapper.direct(result));
              }
              // A null result: the response channel decides (streaming mode).
            });
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

  /** The request body channel of a request without a streamed body: it ends without data. */
  private static void endWithoutData(Channel channel) {
    channel.takeWriter().orElseThrow().close();
  }
}
