package dev.iii.engine.modules.channels;

import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.protocol.ChannelRef;
import dev.iii.protocol.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The channel WebSocket endpoint on the engine port, {@code /ws/channels/{id}?key=<access
 * key>&dir=read|write}, and the sweep of abandoned channels.
 *
 * <ul>
 *   <li>Bad query ({@code key} or {@code dir} missing, {@code dir} neither {@code read} nor {@code
 *       write}): 400. Unknown id or wrong key: 404 {@code Channel not found}; each end has its own
 *       key, so a reader ref's key with {@code dir=write} is a wrong key. Both before any upgrade.
 *   <li>{@code dir=write}: each text or binary message (fragments joined) becomes one item, in
 *       order. While the buffer is full the socket is not read (TCP backpressure). Close, EOF or a
 *       socket error ends the stream; if the reader has gone, the socket is closed.
 *   <li>{@code dir=read}: each item goes out as a frame of its kind, in order; at the end of the
 *       stream a Close frame without payload. A client that goes away cancels the reader.
 *   <li>An end that was already taken: the upgrade succeeds and the socket is closed at once.
 * </ul>
 *
 * <p>Concurrency: each socket's pump is confined to its event loop; the channel itself is
 * thread-safe, and the module's start and close synchronise on it.
 */
public final class ChannelEndpoint implements EngineModule {

  /** How often abandoned channels are swept, as in the official engine. */
  public static final Duration SWEEP_PERIOD = Duration.ofSeconds(60);

  static final String PATH_PREFIX = "/ws/channels/";

  private static final Logger log = LoggerFactory.getLogger(ChannelEndpoint.class);

  private static final WebsocketServerSpec SPEC =
      WebsocketServerSpec.builder().maxFramePayloadLength(Limits.MAX_FRAME_BYTES).build();

  private volatile @Nullable ChannelRegistry channels;
  private @Nullable ScheduledFuture<?> sweep;

  @Override
  public synchronized void start(ModuleContext context) {
    ChannelRegistry registry = context.channels();
    this.channels = registry;
    long periodMs = SWEEP_PERIOD.toMillis();
    this.sweep =
        context
            .scheduler()
            .scheduleAtFixedRate(() -> sweep(registry), periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void engineRoutes(HttpServerRoutes routes) {
    routes.route(ChannelEndpoint::isChannelPath, this::handle);
  }

  @Override
  public synchronized void close() {
    if (sweep != null) {
      sweep.cancel(false);
      sweep = null;
    }
  }

  private static void sweep(ChannelRegistry registry) {
    try {
      int removed = registry.sweep();
      if (removed > 0) {
        log.debug("Swept {} abandoned channel(s)", removed);
      }
    } catch (RuntimeException e) {
      // A failure must not cancel the periodic task.
      log.warn("Channel sweep failed", e);
    }
  }

  // ------------------------------------------------------------------ HTTP

  private static boolean isChannelPath(HttpServerRequest request) {
    if (!HttpMethod.GET.equals(request.method())) {
      return false;
    }
    String path = new QueryStringDecoder(request.uri()).rawPath();
    return path.startsWith(PATH_PREFIX)
        && path.length() > PATH_PREFIX.length()
        && path.indexOf('/', PATH_PREFIX.length()) < 0;
  }

  private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String id = uri.path().substring(PATH_PREFIX.length());
    Map<String, List<String>> query = uri.parameters();
    // Same order and wording as the official engine's query extractor (serde): a bad `dir` is
    // reported as soon as it is seen, missing fields afterwards in declaration order.
    String dirError = null;
    List<String> dirs = query.get("dir");
    if (dirs != null) {
      for (String d : dirs) {
        if (!d.equals("read") && !d.equals("write")) {
          dirError = "unknown variant `" + d + "`, expected `read` or `write`";
          break;
        }
      }
    }
    if (dirError != null) {
      return badQuery(response, dirError);
    }
    String key = single(query, "key");
    String dir = single(query, "dir");
    for (String field : new String[] {"key", "dir"}) {
      List<String> values = query.get(field);
      if (values == null) {
        return badQuery(response, "missing field `" + field + "`");
      }
      if (values.size() > 1) {
        return badQuery(response, "duplicate field `" + field + "`");
      }
    }
    String notUpgrade = upgradeProblem(request);
    if (notUpgrade != null) {
      return plain(response, HttpResponseStatus.BAD_REQUEST, notUpgrade);
    }
    ChannelRegistry registry = this.channels;
    boolean read = "read".equals(dir);
    Optional<Channel> found =
        registry == null || key == null
            ? Optional.empty()
            : registry.find(id, key, read ? ChannelRef.Direction.READ : ChannelRef.Direction.WRITE);
    if (found.isEmpty()) {
      log.debug("Channel {} not found (or not the key of its {} end): 404", id, dir);
      return plain(response, HttpResponseStatus.NOT_FOUND, "Channel not found");
    }
    Channel channel = found.get();
    return response.sendWebsocket(
        (in, out) -> read ? serveReader(channel, in, out) : serveWriter(channel, in, out), SPEC);
  }

  private static @Nullable String single(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Why this is not a WebSocket upgrade request (axum's wording), or {@code null}. */
  private static @Nullable String upgradeProblem(HttpServerRequest request) {
    if (!request
        .requestHeaders()
        .containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
      return "Connection header did not include 'upgrade'";
    }
    if (!request
        .requestHeaders()
        .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      return "`Upgrade` header did not include 'websocket'";
    }
    return null;
  }

  private static Mono<Void> badQuery(HttpServerResponse response, String reason) {
    return plain(
        response, HttpResponseStatus.BAD_REQUEST, "Failed to deserialize query string: " + reason);
  }

  private static Mono<Void> plain(
      HttpServerResponse response, HttpResponseStatus status, String body) {
    return response
        .status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .sendString(Mono.just(body))
        .then();
  }

  // ------------------------------------------------------------------ WebSocket

  /**
   * Socket → channel: one item per message, in order. Frames are taken as Netty decodes them (so a
   * Close frame can never overtake data still waiting in a queue) and written to the channel at
   * once; while a write waits for room, the socket is not read (autoRead off), which holds up the
   * client through TCP. What was already read when the pause began is queued in the channel, a
   * bounded amount (one read's worth).
   */
  private static Mono<Void> serveWriter(
      Channel channel, WebsocketInbound in, WebsocketOutbound out) {
    Optional<ChannelWriterEnd> taken = channel.takeWriter();
    if (taken.isEmpty()) {
      log.debug("{}: writer already taken; closing", channel);
      return out.sendClose();
    }
    ChannelWriterEnd writer = taken.get();
    AtomicReference<io.netty.channel.Channel> socket = new AtomicReference<>();
    in.withConnection(connection -> socket.set(connection.channel())); // runs at once
    WriterPump pump =
        new WriterPump(
            channel,
            writer,
            out,
            Objects.requireNonNull(socket.get(), "withConnection runs its callback at once"));
    return in.aggregateFrames(Limits.MAX_MESSAGE_BYTES)
        .receiveFrames()
        .doOnNext(pump::onFrame)
        .then()
        // Close, EOF and a socket error all end the stream after what was received.
        .onErrorResume(
            e -> {
              log.debug("{}: writer socket failed: {}", channel, e.toString());
              return Mono.empty();
            })
        .doFinally(signal -> writer.close());
  }

  /** Feeds one writer socket into its channel; its state is confined to the socket's loop. */
  private static final class WriterPump {

    private final Channel channel;
    private final ChannelWriterEnd writer;
    private final WebsocketOutbound out;
    private final io.netty.channel.Channel socket;
    private final AtomicBoolean failed = new AtomicBoolean();

    // ---- confined to the socket's event loop
    /** Writes not yet in the channel's buffer. */
    private int waiting;

    private boolean paused;

    WriterPump(
        Channel channel,
        ChannelWriterEnd writer,
        WebsocketOutbound out,
        io.netty.channel.Channel socket) {
      this.channel = channel;
      this.writer = writer;
      this.out = out;
      this.socket = socket;
    }

    /** On the socket's event loop, for every frame in arrival order. */
    void onFrame(WebSocketFrame frame) {
      ChannelItem item = toItem(frame); // copied now: Netty releases the frame after this call
      if (item == null || failed.get()) {
        return;
      }
      waiting++;
      writer.write(item).subscribe(ignored -> {}, this::onWriteFailed, this::onWritten);
      if (waiting > 0 && !paused) {
        paused = true;
        socket.config().setAutoRead(false);
      }
    }

    private void onWritten() {
      if (socket.eventLoop().inEventLoop()) {
        settle();
      } else {
        socket.eventLoop().execute(this::settle);
      }
    }

    private void settle() {
      if (--waiting == 0 && paused) {
        paused = false;
        socket.config().setAutoRead(true);
      }
    }

    /** The reader has gone: stop, and close the socket as the official engine drops it. */
    private void onWriteFailed(Throwable error) {
      if (failed.compareAndSet(false, true)) {
        log.debug("{}: {}; closing the writer socket", channel, error.getMessage());
        writer.close();
        out.sendClose().subscribe(ignored -> {}, e -> {});
      }
    }
  }

  /** Channel → socket: one frame per item, then a Close frame without payload. */
  private static Mono<Void> serveReader(
      Channel channel, WebsocketInbound in, WebsocketOutbound out) {
    Optional<ChannelReaderEnd> taken = channel.takeReader();
    if (taken.isEmpty()) {
      log.debug("{}: reader already taken; closing", channel);
      return out.sendClose();
    }
    // The client going away (Close, EOF) cancels the reader, even while it waits for items. What
    // the client sends is read, so that its Close is seen, and ignored. The inbound is never
    // cancelled: Reactor Netty answers that with an immediate Close, cutting off queued frames.
    in.withConnection(connection -> connection.onDispose(channel::cancelReader));
    Mono<Void> sending =
        out.sendObject(taken.get().items().map(ChannelEndpoint::toFrame))
            .then()
            .then(Mono.defer(out::sendClose))
            .onErrorResume(
                e -> {
                  log.debug("{}: reader socket failed: {}", channel, e.toString());
                  channel.cancelReader();
                  return Mono.empty();
                });
    Mono<Void> receiving = in.receiveFrames().then().onErrorResume(e -> Mono.empty());
    return Mono.when(sending, receiving);
  }

  private static @Nullable ChannelItem toItem(WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      return new ChannelItem(true, bytes(frame.content()));
    }
    if (frame instanceof BinaryWebSocketFrame) {
      return new ChannelItem(false, bytes(frame.content()));
    }
    return null; // pong (pings are answered by Reactor Netty)
  }

  private static WebSocketFrame toFrame(ChannelItem item) {
    ByteBuf payload = Unpooled.wrappedBuffer(item.bytes());
    return item.text() ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload);
  }

  private static byte[] bytes(ByteBuf content) {
    byte[] bytes = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), bytes);
    return bytes;
  }
}
