package dev.iii.transport;

import dev.iii.internal.Timers;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.Timeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One WebSocket of {@link ReactorNettyTransport}. A pipeline handler takes text and binary messages
 * off the connection before Reactor sees them (Reactor still answers pings and runs the close
 * handshake); outgoing frames wait in a lock-free queue that one event-loop task drains and flushes
 * at once. Concurrency: {@code send}/{@code close}/{@code abort} are safe from any thread; all
 * channel I/O happens on the connection's event loop.
 */
final class NettyWebSocket implements WebSocket {

  private static final Logger log = LoggerFactory.getLogger(NettyWebSocket.class);

  private static final int NO_CLOSE_FRAME = 1006;

  /**
   * Frames one flush task writes before it yields the event loop: producers on other threads may
   * queue faster than a dead socket fails writes, and the loop's other work (noticing that death,
   * other sockets) must go on.
   */
  private static final int FRAMES_PER_FLUSH = 512;

  private final WebSocketRequest request;
  private final WebSocketListener listener;
  private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicBoolean closedReported = new AtomicBoolean();
  private final Runnable flushTask = this::flush;
  private volatile @Nullable Channel channel;
  private volatile @Nullable WebsocketOutbound outbound;
  private volatile @Nullable Disposable connection;
  private volatile @Nullable Timeout deadline;
  private volatile boolean closing;
  private volatile boolean reading = true;

  /** What the peer's Close frame said; set on the event loop. */
  private volatile int closeCode = NO_CLOSE_FRAME;

  /** The code of our own Close frame, once written; Reactor then closes without an answer. */
  private volatile int sentCloseCode = NO_CLOSE_FRAME;

  private volatile @Nullable String closeReason;
  private volatile @Nullable Throwable failure;

  NettyWebSocket(WebSocketRequest request, WebSocketListener listener) {
    this.request = request;
    this.listener = listener;
  }

  void start(Disposable running) {
    connection = running;
    deadline =
        Timers.schedule(
            request.handshakeTimeout(),
            () -> {
              if (channel == null) {
                fail(
                    new TimeoutException(
                        "WebSocket handshake with "
                            + request.uri().getHost()
                            + " took longer than "
                            + request.handshakeTimeout().toMillis()
                            + " ms"));
              }
            });
    if (closedReported.get()) {
      running.dispose();
    }
  }

  /** The handshake succeeded: take over the connection's messages. Runs on the event loop. */
  Publisher<Void> run(WebsocketInbound in, WebsocketOutbound out) {
    in.aggregateFrames(request.maxMessageBytes());
    in.withConnection(
        connection -> {
          Channel opened = connection.channel();
          connection.addHandlerLast("iii.messages", new MessageHandler());
          outbound = out;
          channel = opened;
          Timeout handshake = deadline;
          if (handshake != null) {
            handshake.cancel();
          }
          if (!reading) {
            opened.config().setAutoRead(false);
          }
          listener.onOpen(this);
          scheduleFlush(); // frames sent before the socket opened
        });
    // Only control frames reach Reactor now; reading them lets it finish the close handshake.
    return in.receiveFrames().then();
  }

  void onFailure(Throwable error) {
    fail(error);
  }

  void onComplete() {
    Channel open = channel;
    if (open == null || !open.isActive()) {
      reportClosed();
    }
  }

  @Override
  public boolean send(byte[] payload, boolean binary) {
    if (closing) {
      return false;
    }
    outbox.add(new Outgoing(payload, binary, null));
    scheduleFlush();
    return true;
  }

  @Override
  public CompletableFuture<Void> sendAndAwaitWrite(byte[] payload, boolean binary) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    if (closing) {
      written.completeExceptionally(closedError());
      return written;
    }
    outbox.add(new Outgoing(payload, binary, written));
    scheduleFlush();
    if (closedReported.get()) {
      failQueued(); // lost a race with the close: nobody else will fail it
    }
    return written;
  }

  @Override
  public void setReading(boolean reading) {
    this.reading = reading;
    Channel open = channel;
    if (open != null) {
      // On the event loop, with the latest wish: calls from several threads may cross.
      if (open.eventLoop().inEventLoop()) {
        applyReading(open);
      } else {
        open.eventLoop().execute(() -> applyReading(open));
      }
    }
  }

  private void applyReading(Channel open) {
    boolean wanted = reading;
    if (open.config().isAutoRead() != wanted) {
      open.config().setAutoRead(wanted);
    }
    if (wanted) {
      open.read();
    }
  }

  @Override
  public void close(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    outbox.add(new Outgoing(code, reason));
    scheduleFlush();
  }

  @Override
  public void abort() {
    closing = true;
    Channel open = channel;
    if (open != null) {
      open.close();
      return;
    }
    Disposable running = connection;
    if (running != null) {
      running.dispose();
    }
    fail(new java.util.concurrent.CancellationException("WebSocket aborted before it opened"));
  }

  private void scheduleFlush() {
    Channel open = channel;
    if (open != null && flushScheduled.compareAndSet(false, true)) {
      open.eventLoop().execute(flushTask);
    }
  }

  /** Writes queued frames, then flushes once. Runs on the event loop. */
  private void flush() {
    flushScheduled.set(false);
    Channel open = channel;
    WebsocketOutbound out = outbound;
    if (open == null || out == null) {
      return;
    }
    if (!open.isActive()) {
      closing = true;
      failQueued(); // the close is being reported; nothing queued can be written any more
      return;
    }
    boolean wrote = false;
    for (int taken = 0; taken < FRAMES_PER_FLUSH; taken++) {
      Outgoing next = outbox.poll();
      if (next == null) {
        break;
      }
      if (next.isClose) {
        if (wrote) {
          open.flush();
          wrote = false;
        }
        // Reactor writes the Close after the frames before it and then closes the channel. No
        // deadline here: those frames wait for a reader that may be slow; owners that want one
        // (the engine connection at shutdown) abort after their own.
        int code = next.closeCode;
        out.sendClose(code, next.closeReason)
            .subscribe(ignored -> {}, error -> open.close(), () -> sentCloseCode = code);
        continue;
      }
      WebSocketFrame frame =
          next.binary
              ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(next.payload))
              : new TextWebSocketFrame(Unpooled.wrappedBuffer(next.payload));
      CompletableFuture<Void> written = next.written;
      if (written == null) {
        open.write(frame, open.voidPromise());
      } else {
        open.write(frame)
            .addListener(
                done -> {
                  if (done.isSuccess()) {
                    written.complete(null);
                  } else {
                    written.completeExceptionally(done.cause());
                  }
                });
      }
      wrote = true;
    }
    if (wrote) {
      open.flush();
    }
    if (!outbox.isEmpty()) {
      scheduleFlush(); // more than one task's worth: the rest after the loop's other work
    }
  }

  private void fail(Throwable error) {
    if (failure == null) {
      failure = translate(error);
    }
    reportClosed();
  }

  private void reportClosed() {
    if (!closedReported.compareAndSet(false, true)) {
      return;
    }
    closing = true;
    Timeout handshake = deadline;
    if (handshake != null) {
      handshake.cancel();
    }
    Throwable error = failure;
    int code = closeCode != NO_CLOSE_FRAME ? closeCode : sentCloseCode;
    if (error == null && code == NO_CLOSE_FRAME && channel == null) {
      error = new IllegalStateException("WebSocket closed before it opened");
    }
    try {
      listener.onClosed(this, code, closeReason, error);
    } catch (RuntimeException e) {
      log.warn("WebSocket listener failed on close", e);
    }
    failQueued(); // after the listener knows why, so that it can say so to whoever waits
  }

  private void failQueued() {
    for (Outgoing next = outbox.poll(); next != null; next = outbox.poll()) {
      if (next.written != null) {
        next.written.completeExceptionally(closedError());
      }
    }
  }

  private IllegalStateException closedError() {
    return new IllegalStateException("WebSocket to " + request.uri().getHost() + " is closed");
  }

  private static Throwable translate(Throwable error) {
    if (error instanceof WebSocketClientHandshakeException handshake) {
      HttpResponse response = handshake.response();
      if (response != null) {
        return new WebSocketHandshakeException(
            response.status().code(), "WebSocket handshake refused: " + response.status());
      }
    }
    return error;
  }

  /** A frame to write, or the Close that ends the socket. */
  private static final class Outgoing {

    final byte[] payload;
    final boolean binary;
    final @Nullable CompletableFuture<Void> written;
    final boolean isClose;
    final int closeCode;
    final String closeReason;

    Outgoing(byte[] payload, boolean binary, @Nullable CompletableFuture<Void> written) {
      this.payload = payload;
      this.binary = binary;
      this.written = written;
      this.isClose = false;
      this.closeCode = 0;
      this.closeReason = "";
    }

    Outgoing(int closeCode, String closeReason) {
      this.payload = new byte[0];
      this.binary = false;
      this.written = null;
      this.isClose = true;
      this.closeCode = closeCode;
      this.closeReason = closeReason;
    }
  }

  /** Takes whole messages off the pipeline; lets control frames through to Reactor. */
  private final class MessageHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (message instanceof TextWebSocketFrame || message instanceof BinaryWebSocketFrame) {
        WebSocketFrame frame = (WebSocketFrame) message;
        try {
          byte[] payload = ByteBufUtil.getBytes(frame.content());
          listener.onMessage(NettyWebSocket.this, payload, frame instanceof BinaryWebSocketFrame);
        } catch (RuntimeException e) {
          log.warn("WebSocket listener failed on a message", e);
        } finally {
          frame.release();
        }
        return;
      }
      if (message instanceof CloseWebSocketFrame close) {
        closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
        closeReason = close.reasonText();
      }
      ctx.fireChannelRead(message);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      try {
        listener.onReadComplete(NettyWebSocket.this);
      } catch (RuntimeException e) {
        log.warn("WebSocket listener failed", e);
      }
      ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      reportClosed();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = cause;
      }
      ctx.fireExceptionCaught(cause);
    }
  }

  @Override
  public String toString() {
    return "WebSocket[" + request.uri().getHost() + ":" + request.uri().getPort() + "]";
  }
}
