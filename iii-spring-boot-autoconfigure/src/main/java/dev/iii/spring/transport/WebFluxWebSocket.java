package dev.iii.spring.transport;

import dev.iii.transport.WebSocket;
import dev.iii.transport.WebSocketHandshakeException;
import dev.iii.transport.WebSocketListener;
import dev.iii.transport.WebSocketRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One WebSocket of {@link WebFluxWebSocketTransport}. Outgoing frames are queued lock-free and
 * moved into the session's outbound stream, in order, by whichever thread finds the hand-off idle
 * (a work-in-progress counter); each is written with its own {@code send}, so its write can be
 * acknowledged. Incoming messages are requested one at a time while reading is on.
 */
final class WebFluxWebSocket implements WebSocket {

  private static final Logger log = LoggerFactory.getLogger(WebFluxWebSocket.class);

  private static final int NO_CLOSE_FRAME = 1006;

  private final WebSocketRequest request;
  private final WebSocketListener listener;
  private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger handingOver = new AtomicInteger();
  private final Sinks.Many<Outgoing> frames = Sinks.many().unicast().onBackpressureBuffer();
  private final AtomicBoolean closedReported = new AtomicBoolean();
  private final Inbound inbound = new Inbound();
  private volatile @Nullable WebSocketSession session;
  private volatile @Nullable Disposable connection;
  private volatile @Nullable Disposable handshakeTimer;
  private volatile boolean closing;
  private volatile boolean reading = true;
  private volatile int closeCode = NO_CLOSE_FRAME;
  private volatile @Nullable String closeReason;
  private volatile @Nullable Throwable failure;

  /** The session has a close status; inbound messages may still be queued behind it. */
  private volatile boolean statusSeen;

  private volatile boolean inboundEnded;
  private volatile boolean closeSent;

  WebFluxWebSocket(WebSocketRequest request, WebSocketListener listener) {
    this.request = request;
    this.listener = listener;
  }

  void start(Disposable running) {
    connection = running;
    handshakeTimer =
        Schedulers.parallel()
            .schedule(
                () -> {
                  if (session == null) {
                    fail(new TimeoutException("WebSocket handshake timed out"));
                    running.dispose();
                  }
                },
                request.handshakeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
  }

  /** The handshake succeeded: runs the session until both directions end. */
  Mono<Void> run(WebSocketSession opened) {
    session = opened;
    Disposable timer = handshakeTimer;
    if (timer != null) {
      timer.dispose();
    }
    // The session's end, whoever closed it. The handler's own Mono may never complete, because
    // Reactor Netty discards the inbound stream once a Close is sent; after a Close from the peer,
    // the messages before it are still delivered first.
    opened
        .closeStatus()
        .subscribe(
            status -> {
              closeCode = status.getCode();
              closeReason = status.getReason();
              statusSeen = true;
              reportClosedWhenDrained();
            },
            this::fail,
            () -> {
              statusSeen = true;
              reportClosedWhenDrained();
            });
    Mono<Void> outbound = frames.asFlux().concatMap(frame -> write(opened, frame)).then();
    listener.onOpen(this);
    handOver(); // frames sent before the socket opened
    opened.receive().subscribe(inbound);
    return Mono.whenDelayError(inbound.done.asMono(), outbound);
  }

  void onFailure(Throwable error) {
    fail(error);
  }

  void onComplete() {
    reportClosed();
  }

  @Override
  public boolean send(byte[] payload, boolean binary) {
    if (closing) {
      return false;
    }
    outbox.add(new Outgoing(payload, binary, null, false, 0, ""));
    handOver();
    return true;
  }

  @Override
  public CompletableFuture<Void> sendAndAwaitWrite(byte[] payload, boolean binary) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    if (closing) {
      written.completeExceptionally(new IllegalStateException("WebSocket is closed"));
      return written;
    }
    outbox.add(new Outgoing(payload, binary, written, false, 0, ""));
    handOver();
    return written;
  }

  @Override
  public void setReading(boolean reading) {
    this.reading = reading;
    if (reading) {
      inbound.demand();
    }
  }

  @Override
  public void close(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    outbox.add(new Outgoing(new byte[0], false, null, true, code, reason));
    handOver();
  }

  @Override
  public void abort() {
    closing = true;
    Disposable running = connection;
    if (running != null) {
      running.dispose();
    }
    fail(new java.util.concurrent.CancellationException("WebSocket aborted"));
  }

  /** Moves queued frames into the session's stream, in order; no lock, nobody waits. */
  private void handOver() {
    if (session == null || handingOver.getAndIncrement() != 0) {
      return;
    }
    do {
      for (Outgoing next = outbox.poll(); next != null; next = outbox.poll()) {
        if (frames.tryEmitNext(next).isFailure() && next.written != null) {
          next.written.completeExceptionally(new IllegalStateException("WebSocket is closed"));
        }
      }
    } while (handingOver.decrementAndGet() != 0);
  }

  private Mono<Void> write(WebSocketSession opened, Outgoing frame) {
    if (frame.isClose) {
      closeSent = true;
      // No deadline here: the frames before the Close may wait for a slow reader; owners that want
      // one (the engine connection at shutdown) abort after their own.
      return opened.close(new CloseStatus(frame.closeCode, frame.closeReason));
    }
    WebSocketMessage message =
        frame.binary
            ? opened.binaryMessage(factory -> factory.wrap(frame.payload))
            : opened.textMessage(
                new String(frame.payload, java.nio.charset.StandardCharsets.UTF_8));
    CompletableFuture<Void> written = frame.written;
    Mono<Void> send = opened.send(Mono.just(message));
    if (written == null) {
      return send.onErrorResume(error -> Mono.empty());
    }
    return send.doOnSuccess(ignored -> written.complete(null))
        .onErrorResume(
            error -> {
              written.completeExceptionally(error);
              return Mono.empty();
            });
  }

  private void onMessage(WebSocketMessage message) {
    byte[] payload = new byte[message.getPayload().readableByteCount()];
    message.getPayload().read(payload);
    try {
      listener.onMessage(this, payload, message.getType() == WebSocketMessage.Type.BINARY);
      listener.onReadComplete(this);
    } catch (RuntimeException e) {
      log.warn("WebSocket listener failed on a message", e);
    }
  }

  private void reportClosedWhenDrained() {
    if (statusSeen && (inboundEnded || closeSent)) {
      reportClosed();
    }
  }

  private void closeOutbound() {
    closing = true;
    frames.tryEmitComplete();
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
    Disposable timer = handshakeTimer;
    if (timer != null) {
      timer.dispose();
    }
    frames.tryEmitComplete();
    Throwable error = failure;
    if (error == null && session == null) {
      error = new IllegalStateException("WebSocket closed before it opened");
    }
    try {
      listener.onClosed(this, closeCode, closeReason, error);
    } catch (RuntimeException e) {
      log.warn("WebSocket listener failed on close", e);
    }
    // After the listener knows why, so that it can say so to whoever waits.
    for (Outgoing next = outbox.poll(); next != null; next = outbox.poll()) {
      if (next.written != null) {
        next.written.completeExceptionally(new IllegalStateException("WebSocket is closed"));
      }
    }
  }

  private static Throwable translate(Throwable error) {
    if (error
            instanceof
            io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException handshake
        && handshake.response() != null) {
      return new WebSocketHandshakeException(
          handshake.response().status().code(),
          "WebSocket handshake refused: " + handshake.response().status());
    }
    return error;
  }

  /** One frame to write, or the Close that ends the socket. */
  private record Outgoing(
      byte[] payload,
      boolean binary,
      @Nullable CompletableFuture<Void> written,
      boolean isClose,
      int closeCode,
      String closeReason) {}

  /**
   * Requests incoming messages one at a time while reading is on, so a listener that stops reading
   * stops the socket being read.
   */
  private final class Inbound extends BaseSubscriber<WebSocketMessage> {

    final Sinks.Empty<Void> done = Sinks.empty();
    private final AtomicBoolean outstanding = new AtomicBoolean();

    void demand() {
      if (upstream() != null && outstanding.compareAndSet(false, true)) {
        request(1);
      }
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      if (reading) {
        demand();
      }
    }

    @Override
    protected void hookOnNext(WebSocketMessage message) {
      outstanding.set(false);
      onMessage(message);
      if (reading) {
        demand();
      }
    }

    @Override
    protected void hookOnError(Throwable error) {
      if (failure == null) {
        failure = translate(error);
      }
      hookOnComplete();
    }

    @Override
    protected void hookOnComplete() {
      inboundEnded = true;
      closeOutbound();
      done.tryEmitEmpty();
      reportClosedWhenDrained();
    }
  }
}
