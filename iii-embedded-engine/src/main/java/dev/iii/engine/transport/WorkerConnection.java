package dev.iii.engine.transport;

import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.registry.Worker;
import dev.iii.engine.registry.WorkerOutbound;
import dev.iii.engine.router.MessageRouter;
import dev.iii.engine.support.RateLimitedLog;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One worker's WebSocket. A pipeline handler takes whole text and binary messages off the
 * connection before Reactor sees them and hands them to {@link InboundMessages}, which decodes them
 * straight from the frame's bytes and routes them in order (large ones off the event loop); Reactor
 * still answers pings and runs the close handshake.
 *
 * <p>Outgoing messages are encoded on the sending thread and wait in a lock-free queue that one
 * event-loop task drains and flushes at once, so a burst of results costs one flush, and routing
 * never waits for a slow worker. The task writes only while the channel is writable (Netty's water
 * marks) and resumes when it is writable again; when what waits — that queue plus Netty's pending
 * writes — passes {@code max_outbound_bytes}, the worker is taken not to read and is disconnected,
 * which ends its invocations.
 *
 * <p>The connection ends as the official engine ends it: on a shutdown ({@link #goAway}) or an
 * eviction ({@link #retire}) the socket is closed without a Close frame, so that SDKs reconnect.
 *
 * <p>Concurrency: inbound messages are handled in arrival order ({@link InboundMessages}); {@link
 * #send}, {@link #goAway} and {@link #retire} are safe from any thread and never block; all channel
 * I/O happens on the event loop.
 */
final class WorkerConnection implements WorkerOutbound {

  private static final Logger log = LoggerFactory.getLogger(WorkerConnection.class);

  /** Length of the prefix that marks a binary telemetry frame ({@code OTLP}, {@code MTRC}…). */
  private static final int TELEMETRY_PREFIX = 4;

  private final MessageCodec codec = MessageCodec.instance();
  private final MessageRouter router;
  private final InboundMessages inbound;
  private final Consumer<byte[]> telemetrySink;
  private final Worker worker;
  private final EngineLimits limits;
  private final RateLimitedLog warnings;

  /** Encoded messages waiting for the event loop; emptied for good once the connection ends. */
  private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();

  /** The bytes in {@link #outbox}. */
  private final AtomicLong outboxBytes = new AtomicLong();

  /** The worker was found not to read; it is disconnected once. */
  private final AtomicBoolean overflowed = new AtomicBoolean();

  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final Runnable flushTask = this::flush;
  private volatile @Nullable Channel channel;

  /** No more messages are accepted: the engine is going away, or the connection ended. */
  private volatile boolean closing;

  /** The connection ended; what is still queued is dropped, later frames are ignored. */
  private volatile boolean closed;

  /** The engine's clean-up for this connection has been claimed (it runs once). */
  private final AtomicBoolean cleanedUp = new AtomicBoolean();

  /** The socket should close once the queued messages are written; the close runs once. */
  private volatile boolean goAwayRequested;

  private final AtomicBoolean goAwaySent = new AtomicBoolean();

  /** Completes once the queued messages are written and the socket closed, or it has ended. */
  private final CompletableFuture<Void> goneAway = new CompletableFuture<>();

  WorkerConnection(
      MessageRouter router,
      Consumer<byte[]> telemetrySink,
      @Nullable InetSocketAddress remote,
      EngineLimits limits,
      Executor decodePool,
      RateLimitedLog warnings) {
    this.router = router;
    this.telemetrySink = telemetrySink;
    this.limits = limits;
    this.warnings = warnings;
    this.worker = new Worker(remote == null ? null : remote.getAddress().getHostAddress(), this);
    this.inbound =
        new InboundMessages(
            worker, router, decodePool, new UndecodableMessages(router, warnings), () -> closed);
  }

  /** Runs the connection until either side closes it. Called on the connection's event loop. */
  Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
    in.aggregateFrames(limits.maxMessageBytes());
    in.withConnection(
        connection -> {
          // Runs at once: the handler sits after the frame aggregator, before Reactor's bridge.
          connection.addHandlerLast("iii.worker.messages", new MessageHandler());
          channel = connection.channel();
          inbound.attach(connection.channel());
        });
    router.connected(worker);
    // Only control frames reach Reactor now (it answers pings and the peer's Close). Messages read
    // before the handler was in place are still queued there, and are handled here, first.
    return in.receiveFrames()
        .doOnNext(this::onFrame)
        .onErrorResume(
            e -> {
              log.debug("{}: connection read failed: {}", worker, e.toString());
              return Mono.empty();
            })
        .then()
        .doFinally(signal -> disconnect());
  }

  @Override
  public boolean send(Message message) {
    if (closing) {
      return false;
    }
    byte[] bytes = codec.encodeToBytes(message);
    outbox.add(bytes);
    long waiting = outboxBytes.addAndGet(bytes.length) + pendingWrites(channel);
    if (closed) {
      outbox.clear(); // lost a race with the disconnect: nobody will flush this any more
      return false;
    }
    if (waiting > limits.maxOutboundBytes()) {
      overflow(waiting);
      return false;
    }
    scheduleFlush();
    return true;
  }

  /**
   * Refuses an invocation while half of {@code max_outbound_bytes} already waits for this worker:
   * the rest is kept for what must be delivered (results of its own calls), so that a flood of
   * calls to a busy worker is answered to its callers instead of disconnecting the worker.
   */
  @Override
  public Offer offer(Message message) {
    if (closing) {
      return Offer.CLOSED;
    }
    long waiting = outboxBytes.get() + pendingWrites(channel);
    if (waiting > limits.maxOutboundBytes() / 2) {
      warnings.warn(
          "invocations refused",
          "{} ({}) is behind: {} bytes wait to be written to it, over half of max_outbound_bytes"
              + " {}; invocations for it are refused until it reads",
          worker,
          String.valueOf(worker.ipAddress()),
          waiting,
          limits.maxOutboundBytes());
      return Offer.BUSY;
    }
    return send(message) ? Offer.QUEUED : Offer.CLOSED;
  }

  /** What Netty has been given and not yet written to the socket. */
  private static long pendingWrites(@Nullable Channel open) {
    ChannelOutboundBuffer buffer = open == null ? null : open.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  /** The worker does not read what is sent to it: disconnect it, once, which ends its calls. */
  private void overflow(long waiting) {
    if (!overflowed.compareAndSet(false, true)) {
      return;
    }
    warnings.warn(
        "outbound limit",
        "{} ({}) does not read: {} bytes wait to be written to it, over max_outbound_bytes {};"
            + " disconnecting it",
        worker,
        String.valueOf(worker.ipAddress()),
        waiting,
        limits.maxOutboundBytes());
    retire();
  }

  /**
   * Sends what is queued, then closes the socket without a Close frame (as the official engine does
   * at shutdown: SDKs treat a Close 1000/1001 as final, a dropped socket as a reason to reconnect);
   * used at engine shutdown.
   *
   * @return completes once the socket is closed, or the connection has ended
   */
  CompletableFuture<Void> goAway() {
    closing = true;
    goAwayRequested = true;
    if (channel == null || closed) {
      goneAway.complete(null);
    }
    scheduleFlush();
    return goneAway;
  }

  @Override
  public CompletionStage<Void> retire() {
    CompletableFuture<Void> retired = new CompletableFuture<>();
    closing = true;
    Channel open = channel;
    Runnable task =
        () -> {
          disconnect();
          if (open != null) {
            open.close();
          }
          retired.complete(null);
        };
    if (open == null) {
      task.run();
      return retired;
    }
    try {
      // On the connection's own event loop: after the frames it is handling, before any later one.
      open.eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
    return retired;
  }

  Worker worker() {
    return worker;
  }

  private void scheduleFlush() {
    Channel open = channel;
    if (open != null && flushScheduled.compareAndSet(false, true)) {
      try {
        open.eventLoop().execute(flushTask);
      } catch (RejectedExecutionException e) {
        outbox.clear(); // the event loops are shutting down: nothing will be written any more
      }
    }
  }

  /**
   * Writes queued messages while the channel is writable, then flushes once; the rest waits for the
   * channel to become writable again. Runs on the event loop.
   */
  private void flush() {
    flushScheduled.set(false);
    Channel open = channel;
    if (open == null || closed) {
      outbox.clear();
      return;
    }
    boolean wrote = false;
    while (open.isWritable()) {
      byte[] next = outbox.poll();
      if (next == null) {
        break;
      }
      outboxBytes.addAndGet(-next.length);
      open.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(next)), open.voidPromise());
      wrote = true;
    }
    if (wrote) {
      open.flush();
    }
    if (goAwayRequested && outbox.isEmpty() && goAwaySent.compareAndSet(false, true)) {
      // Closes once everything written before it is on the wire.
      open.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              written -> {
                open.close();
                goneAway.complete(null);
              });
    }
  }

  private void onFrame(WebSocketFrame frame) {
    if (closed) {
      return; // retired: later frames of this socket are stale
    }
    try {
      if (frame instanceof TextWebSocketFrame) {
        onText(frame.content());
      } else if (frame instanceof BinaryWebSocketFrame) {
        onBinary(frame.content());
      }
    } catch (RuntimeException e) {
      // A bug in routing must not take the connection down with it.
      log.error("{}: failed to handle a frame", worker, e);
    }
  }

  private void onText(ByteBuf content) {
    if (isBlank(content)) {
      return;
    }
    dispatch(ByteBufUtil.getBytes(content));
  }

  private void onBinary(ByteBuf content) {
    byte[] bytes = ByteBufUtil.getBytes(content);
    if (isTelemetry(bytes)) {
      telemetrySink.accept(bytes);
      return;
    }
    dispatch(bytes);
  }

  /** Whether the frame starts with {@code OTLP}, {@code MTRC} or {@code LOGS}. */
  static boolean isTelemetry(byte[] bytes) {
    if (bytes.length < TELEMETRY_PREFIX) {
      return false;
    }
    return (bytes[0] == 'O' && bytes[1] == 'T' && bytes[2] == 'L' && bytes[3] == 'P')
        || (bytes[0] == 'M' && bytes[1] == 'T' && bytes[2] == 'R' && bytes[3] == 'C')
        || (bytes[0] == 'L' && bytes[1] == 'O' && bytes[2] == 'G' && bytes[3] == 'S');
  }

  /** An empty or whitespace-only text frame (ignored, as {@code String.isBlank} did). */
  private static boolean isBlank(ByteBuf content) {
    for (int i = content.readerIndex(), end = content.writerIndex(); i < end; i++) {
      byte b = content.getByte(i);
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private void dispatch(byte[] json) {
    inbound.dispatch(json);
  }

  private void disconnect() {
    closing = true;
    closed = true;
    if (!cleanedUp.compareAndSet(false, true)) {
      return;
    }
    outbox.clear();
    goneAway.complete(null);
    router.disconnected(worker);
  }

  /** Takes whole messages off the pipeline; lets control frames through to Reactor. */
  private final class MessageHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (message instanceof TextWebSocketFrame || message instanceof BinaryWebSocketFrame) {
        WebSocketFrame frame = (WebSocketFrame) message;
        try {
          onFrame(frame);
        } finally {
          frame.release();
        }
        return;
      }
      ctx.fireChannelRead(message);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable() && !outbox.isEmpty()) {
        scheduleFlush();
      }
      ctx.fireChannelWritabilityChanged();
    }
  }
}
