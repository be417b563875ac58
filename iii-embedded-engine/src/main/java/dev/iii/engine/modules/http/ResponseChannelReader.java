package dev.iii.engine.modules.http;

import dev.iii.engine.modules.channels.ChannelItem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request's response channel. Before the first binary item, text items are control messages
 * ({@code set_status}, {@code set_headers}); the first binary item, or the channel's end, decides a
 * {@link HttpOutcome.Streaming} response whose body is that item and every later binary one. Items
 * are requested one at a time before that and as the HTTP connection asks after, so a slow client
 * slows the writer down.
 */
final class ResponseChannelReader extends BaseSubscriber<ChannelItem> {

  private static final Logger log = LoggerFactory.getLogger(ResponseChannelReader.class);

  private final CompletableFuture<HttpOutcome> decision;
  private final JsonMapper mapper;
  private final String functionId;

  // Guarded by this: the state before the response is decided, and the hand-over to the body.
  private int status = HttpResponseStatus.OK.code();
  private final HttpHeaders headers = new DefaultHttpHeaders();
  private boolean streaming;
  private byte @Nullable [] firstChunk;
  private @Nullable FluxSink<ByteBuf> body;
  private boolean ended;
  private @Nullable Throwable failure;

  /**
   * @param decision completed with the streaming outcome, unless something else decided first
   */
  ResponseChannelReader(
      CompletableFuture<HttpOutcome> decision, JsonMapper mapper, String functionId) {
    this.decision = decision;
    this.mapper = mapper;
    this.functionId = functionId;
  }

  @Override
  protected void hookOnSubscribe(Subscription subscription) {
    request(1);
  }

  @Override
  protected void hookOnNext(ChannelItem item) {
    FluxSink<ByteBuf> sink;
    HttpOutcome decided = null;
    synchronized (this) {
      if (!streaming) {
        if (decision.isDone()) {
          return; // the function's result won; this subscription is being cancelled
        }
        if (item.text()) {
          applyControl(item.asText());
          request(1);
          return;
        }
        streaming = true;
        firstChunk = item.bytes();
        decided = streamingOutcome(Flux.create(this::attach));
      }
      sink = body;
    }
    if (decided != null) {
      decision.complete(decided);
      return;
    }
    if (item.text()) {
      // Control messages after the first body byte come too late to change anything.
      request(1);
    } else if (sink != null) {
      sink.next(Unpooled.wrappedBuffer(item.bytes()));
    }
  }

  @Override
  protected void hookOnComplete() {
    end(null);
  }

  @Override
  protected void hookOnError(Throwable error) {
    log.debug("Response channel of an HTTP call to {} failed: {}", functionId, error.toString());
    end(error);
  }

  /** The channel ended: before any body it is an empty streamed body, after it the body's end. */
  private void end(@Nullable Throwable error) {
    FluxSink<ByteBuf> sink;
    HttpOutcome decided = null;
    synchronized (this) {
      ended = true;
      failure = error;
      if (!streaming) {
        streaming = true;
        decided = streamingOutcome(Flux.empty());
      }
      sink = body;
    }
    if (decided != null) {
      decision.complete(decided);
    } else if (sink != null) {
      finish(sink, error);
    }
  }

  /** Connects the HTTP response body once it is subscribed. */
  private void attach(FluxSink<ByteBuf> sink) {
    byte[] first;
    boolean done;
    Throwable error;
    synchronized (this) {
      body = sink;
      first = firstChunk;
      firstChunk = null;
      done = ended;
      error = failure;
    }
    if (first != null) {
      sink.next(Unpooled.wrappedBuffer(first));
    }
    if (done) {
      finish(sink, error);
      return;
    }
    sink.onCancel(this::dispose);
    sink.onRequest(this::request);
  }

  private static void finish(FluxSink<ByteBuf> sink, @Nullable Throwable error) {
    if (error == null) {
      sink.complete();
    } else {
      sink.error(error);
    }
  }

  private HttpOutcome streamingOutcome(Flux<ByteBuf> content) {
    return new HttpOutcome.Streaming(HttpResponseStatus.valueOf(status), headers.copy(), content);
  }

  /** Applies a {@code set_status} or {@code set_headers} message; anything else is ignored. */
  private void applyControl(String text) {
    JsonNode message;
    try {
      message = mapper.readTree(text);
    } catch (JacksonException e) {
      log.debug("Ignored a non-JSON control message from {}", functionId);
      return;
    }
    String type = message.path("type").asString("");
    if (type.equals("set_status")) {
      JsonNode code = message.path("status_code");
      if (code.isIntegralNumber() && code.canConvertToInt()) {
        int value = code.asInt();
        if (value >= 100 && value <= 599) {
          status = value;
        }
      }
    } else if (type.equals("set_headers")) {
      for (Map.Entry<String, JsonNode> header : message.path("headers").properties()) {
        if (header.getValue().isString()) {
          HeaderValues.setIfValid(headers, header.getKey(), header.getValue().asString());
        }
      }
    }
  }
}
