package dev.iii.internal;

import dev.iii.ConnectionState;
import dev.iii.IIIException;
import dev.iii.ReconnectionConfig;
import dev.iii.transport.WebSocketRequest;
import dev.iii.transport.WebSocketTransport;
import io.netty.util.Timeout;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the engine: one socket at a time, opened, watched, and opened again with
 * backoff until the client stops (Lettuce's connection watchdog, in short).
 *
 * <p>Concurrency: all of its state belongs to one serial executor, the connection's actor. Socket
 * callbacks and API calls only post tasks to it; tasks never block, never wait for a lock and never
 * run user code (user futures and state listeners are completed on callback threads). Other threads
 * read only the volatile {@link #current()}, {@link #state()} and {@link #workerId()}. With no lock
 * to take in any order, there is nothing to deadlock on.
 */
public final class EngineConnection {

  private static final Logger log = LoggerFactory.getLogger(EngineConnection.class);

  /** How long a closing socket may take before it is dropped. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** What the worker does with the connection's events. */
  public interface Handler {

    /**
     * On the actor, once a socket is open and before any call may use it: send what must come first
     * (registrations, calls made while offline, worker metadata).
     *
     * @return how many offline calls were sent, for the log
     */
    int opened(Session session);

    /** On the socket's I/O thread: one inbound message. Must not block. */
    void message(Session session, byte[] payload, boolean binary);

    /** On the actor: the session is closed; {@code cause} says why, if known. */
    void closed(Session session, @Nullable Throwable cause);

    /** On the actor: reconnection gave up; nothing will be sent any more. */
    void gaveUp(IIIException failure);
  }

  private final URI address;
  private final WebSocketTransport transport;
  private final WebSocketRequest request;
  private final ReconnectionConfig reconnection;
  private final Executor callbackExecutor;
  private final PendingCalls pendingCalls;
  private final SerialExecutor actor;
  private final StateListeners listeners;
  private @Nullable Handler handler;

  // Owned by the actor.
  private boolean running;
  private boolean stopped;
  private int attempt;
  private int sessions;
  private @Nullable Session attempting;
  private @Nullable Session closing;
  private @Nullable CompletableFuture<Void> closed;
  private @Nullable Timeout reconnectTimer;
  private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();

  // Written by the actor, read anywhere.
  private volatile @Nullable Session current;
  private volatile @Nullable String workerId;
  private volatile StateListeners.Snapshot snapshot =
      new StateListeners.Snapshot(0, ConnectionState.DISCONNECTED);
  private volatile boolean shutDown;

  public EngineConnection(
      URI address,
      WebSocketTransport transport,
      WebSocketRequest request,
      ReconnectionConfig reconnection,
      Executor callbackExecutor,
      PendingCalls pendingCalls) {
    this.address = address;
    this.transport = transport;
    this.request = request;
    this.reconnection = reconnection;
    this.callbackExecutor = callbackExecutor;
    this.pendingCalls = pendingCalls;
    this.actor = new SerialExecutor(callbackExecutor);
    this.listeners = new StateListeners(callbackExecutor);
  }

  /** Set once, before {@link #connect()}. */
  public void handler(Handler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  private Handler handler() {
    return Objects.requireNonNull(handler, "handler not set");
  }

  /** Runs a task on the connection's actor. */
  public void execute(Runnable task) {
    actor.execute(task);
  }

  /** The open session calls may be sent on, or {@code null} while disconnected. */
  public @Nullable Session current() {
    return current;
  }

  public ConnectionState state() {
    return snapshot.state();
  }

  public Optional<String> workerId() {
    return Optional.ofNullable(workerId);
  }

  /** Whether {@link #stop()} has been called. */
  public boolean isShutDown() {
    return shutDown;
  }

  /** The engine address without user info, for messages and logs. */
  public String displayAddress() {
    return Urls.redact(address);
  }

  /**
   * Starts connecting (if not already) and tells when this worker is registered with the engine.
   */
  public CompletableFuture<Void> connect() {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    // On this thread when the actor is idle, so the state is CONNECTING once connect() returns.
    actor.executeHere(
        () -> {
          if (stopped) {
            completeLater(connected, shutdownError());
          } else if (current != null && workerId != null) {
            completeLater(connected, null);
          } else {
            connectWaiters.add(connected);
            if (!running) {
              running = true;
              attempt = 0;
              setState(ConnectionState.CONNECTING);
              open();
            }
          }
        });
    return connected;
  }

  /**
   * Stops for good: no more reconnects; the socket closes normally.
   *
   * @return completes when the socket has closed (or was dropped after a grace period)
   */
  public CompletableFuture<Void> stop() {
    shutDown = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    actor.execute(
        () -> {
          stopped = true;
          running = false;
          cancelReconnect();
          Session open = current != null ? current : attempting;
          current = null;
          attempting = null;
          workerId = null;
          setState(ConnectionState.DISCONNECTED);
          failWaiters(shutdownError());
          if (open == null) {
            done.complete(null);
            return;
          }
          closing = open;
          closed = done;
          if (open.isOpen()) {
            open.close(1000, "client shutting down");
          } else {
            open.abort(); // still in its handshake
          }
          Timers.schedule(
              CLOSE_TIMEOUT,
              () ->
                  actor.execute(
                      () -> {
                        if (!done.isDone()) {
                          open.abort();
                          done.complete(null);
                        }
                      }));
        });
    return done;
  }

  /**
   * Subscribes to state changes; the current state is delivered first, at once on this thread. Then
   * each listener is told on a callback thread, one state at a time and in order, apart from other
   * listeners (a slow one holds up only itself).
   *
   * @return unsubscribes
   */
  public Runnable onStateChange(Consumer<ConnectionState> listener) {
    return listeners.add(Objects.requireNonNull(listener, "listener"), () -> snapshot);
  }

  /** The engine greeted the session with this worker's id (called on the I/O thread). */
  void workerRegistered(Session session, String id, Runnable onRegistered) {
    actor.execute(
        () -> {
          if (session != current) {
            return;
          }
          workerId = id;
          onRegistered.run();
          List<CompletableFuture<Void>> waiters = new ArrayList<>(connectWaiters);
          connectWaiters.clear();
          waiters.forEach(waiter -> completeLater(waiter, null));
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Socket events (any thread): handed to the actor

  void onOpen(Session session) {
    actor.execute(() -> opened(session));
  }

  void onMessage(Session session, byte[] payload, boolean binary) {
    handler().message(session, payload, binary);
  }

  void onClosed(Session session, int code, @Nullable String reason, @Nullable Throwable failure) {
    actor.execute(() -> closed(session, code, reason, failure));
  }

  // ---------------------------------------------------------------------------------------------
  // On the actor

  private void open() {
    Session session = new Session(this, ++sessions, pendingCalls.newBatch());
    attempting = session;
    session.start(transport, request);
  }

  private void opened(Session session) {
    if (!running || session != attempting) {
      session.close(1000, "client stopped");
      return;
    }
    attempting = null;
    attempt = 0;
    int flushed = handler().opened(session);
    current = session; // from now on, calls go straight to this socket
    setState(ConnectionState.CONNECTED);
    log.info(
        "Connected to iii engine at {}{}",
        displayAddress(),
        flushed > 0 ? " (sent " + flushed + " queued calls)" : "");
  }

  private void closed(
      Session session, int code, @Nullable String reason, @Nullable Throwable error) {
    boolean wasCurrent = session == current;
    boolean wasAttempt = session == attempting;
    if (wasCurrent) {
      current = null;
      workerId = null;
    }
    if (wasAttempt) {
      attempting = null;
    }
    Throwable cause = error != null ? error : closedByEngine(code, reason);
    handler().closed(session, cause);
    if (session == closing) {
      closing = null;
      CompletableFuture<Void> done = closed;
      if (done != null) {
        done.complete(null);
      }
    }
    if (running && (wasCurrent || wasAttempt)) {
      scheduleReconnect(wasCurrent, cause);
    }
  }

  private void scheduleReconnect(boolean wasOpen, Throwable cause) {
    String why = String.valueOf(cause.getMessage());
    if (reconnection.maxRetries() != -1 && attempt >= reconnection.maxRetries()) {
      running = false;
      setState(ConnectionState.FAILED);
      IIIException failure =
          new IIIException(
              IIIException.CONNECTION_FAILED,
              "could not connect to " + displayAddress() + " after " + attempt + " retries: " + why,
              null,
              null,
              cause);
      log.error("{}", failure.getMessage());
      failWaiters(failure);
      handler().gaveUp(failure);
      return;
    }
    Duration delay = reconnection.delay(attempt, ThreadLocalRandom.current().nextDouble());
    attempt++;
    if (wasOpen) {
      log.warn("Connection to iii engine at {} lost ({}); reconnecting", displayAddress(), why);
    } else if (attempt % 10 == 1) {
      // The first failure and every tenth: a wrong address should not go unnoticed, nor flood logs.
      log.warn(
          "Cannot connect to iii engine at {} ({}); retry {} in {} ms",
          displayAddress(),
          why,
          attempt,
          delay.toMillis());
    } else {
      log.debug(
          "Cannot connect to iii engine at {} ({}); retry {} in {} ms",
          displayAddress(),
          why,
          attempt,
          delay.toMillis());
    }
    setState(ConnectionState.RECONNECTING);
    reconnectTimer =
        Timers.schedule(
            delay,
            () ->
                actor.execute(
                    () -> {
                      reconnectTimer = null;
                      if (running && current == null && attempting == null) {
                        open();
                      }
                    }));
  }

  private void cancelReconnect() {
    Timeout timer = reconnectTimer;
    if (timer != null) {
      timer.cancel();
      reconnectTimer = null;
    }
  }

  private void setState(ConnectionState next) {
    StateListeners.Snapshot previous = snapshot;
    if (previous.state() == next) {
      return;
    }
    StateListeners.Snapshot now = new StateListeners.Snapshot(previous.version() + 1, next);
    snapshot = now;
    listeners.publish(now.version(), now.state());
  }

  private void failWaiters(Throwable failure) {
    List<CompletableFuture<Void>> waiters = new ArrayList<>(connectWaiters);
    connectWaiters.clear();
    waiters.forEach(waiter -> completeLater(waiter, failure));
  }

  /** User futures complete on a callback thread, never on the actor. */
  private void completeLater(CompletableFuture<Void> future, @Nullable Throwable failure) {
    try {
      callbackExecutor.execute(
          () -> {
            if (failure == null) {
              future.complete(null);
            } else {
              future.completeExceptionally(failure);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      if (failure == null) {
        future.complete(null);
      } else {
        future.completeExceptionally(failure);
      }
    }
  }

  private static IIIException shutdownError() {
    return new IIIException(IIIException.SHUTDOWN, "client is shut down");
  }

  private static Throwable closedByEngine(int code, @Nullable String reason) {
    String detail =
        code == 1006
            ? "closed by the engine"
            : "closed by the engine, code "
                + code
                + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
    return new IllegalStateException(detail);
  }
}
