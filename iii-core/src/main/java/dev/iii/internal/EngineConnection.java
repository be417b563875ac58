package dev.iii.internal;

import dev.iii.ConnectionState;
import dev.iii.IIIException;
import dev.iii.ReconnectionConfig;
import dev.iii.protocol.Reattach;
import dev.iii.transport.WebSocketRequest;
import dev.iii.transport.WebSocketTransport;
import io.netty.util.Timeout;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
 * read only the volatile {@link #current()}, {@link #state()}, {@link #workerId()} and {@link
 * #fatalError()}. With no lock to take in any order, there is nothing to deadlock on.
 *
 * <p>Each open session runs a {@link Heartbeat}; after a reconnect the engine is first asked, with
 * a {@code reattach}, to retire the previous connection. An engine's refusal of the worker ({@link
 * #fail}) ends in {@link ConnectionState#FAILED} without reconnecting.
 */
public final class EngineConnection {

  private static final Logger log = LoggerFactory.getLogger(EngineConnection.class);

  /** How long a closing socket may take before it is dropped. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final URI address;
  private final WebSocketTransport transport;
  private final WebSocketRequest request;
  private final Backoff backoff;
  private final Duration pingInterval;
  private final Duration idleTimeout;
  private final Duration reconnectGrace;
  private final PendingCalls pendingCalls;
  private final SerialExecutor actor;
  private final StateListeners listeners;
  private final ConnectWaiters connectWaiters;
  private @Nullable ConnectionHandler handler;

  // Owned by the actor.
  private boolean running;
  private boolean stopped;
  private int sessions;
  private boolean everOpened;
  private @Nullable Session attempting;
  private @Nullable Session closing;
  private @Nullable CompletableFuture<Void> closed;
  private @Nullable Timeout reconnectTimer;

  /** The worker id and token of the last registered connection, presented after a reconnect. */
  private @Nullable Reattach previous;

  // Written by the actor, read anywhere.
  private volatile @Nullable Session current;
  private volatile @Nullable String workerId;
  private volatile @Nullable IIIException fatal;
  private volatile boolean shutDown;

  public EngineConnection(
      URI address,
      WebSocketTransport transport,
      WebSocketRequest request,
      ReconnectionConfig reconnection,
      Duration pingInterval,
      Duration idleTimeout,
      Duration reconnectGrace,
      Executor callbackExecutor,
      PendingCalls pendingCalls) {
    this.address = address;
    this.transport = transport;
    this.request = request;
    this.backoff = new Backoff(reconnection, Urls.redact(address));
    this.pingInterval = pingInterval;
    this.idleTimeout = idleTimeout;
    this.reconnectGrace = reconnectGrace;
    this.pendingCalls = pendingCalls;
    this.actor = new SerialExecutor(callbackExecutor);
    this.listeners = new StateListeners(callbackExecutor);
    this.connectWaiters = new ConnectWaiters(callbackExecutor);
  }

  /** Set once, before {@link #connect()}. */
  public void handler(ConnectionHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  private ConnectionHandler handler() {
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
    return listeners.state();
  }

  public Optional<String> workerId() {
    return Optional.ofNullable(workerId);
  }

  /** Why the state is {@link ConnectionState#FAILED}, if it is. */
  public Optional<IIIException> fatalError() {
    return Optional.ofNullable(fatal);
  }

  /**
   * On the actor: the {@code reattach} to send first on a new socket, naming the last connection
   * the engine registered this worker on; {@code null} before the first registration.
   */
  @Nullable Reattach reattach() {
    return previous;
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
            connectWaiters.completeLater(connected, shutdownError());
          } else if (current != null && workerId != null) {
            connectWaiters.completeLater(connected, null);
          } else {
            connectWaiters.add(connected);
            if (!running) {
              running = true;
              backoff.reset();
              fatal = null;
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
          connectWaiters.completeAll(shutdownError());
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
    return listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * The engine greeted the session with this worker's id and the token that retires the connection
   * after a reconnect (called on the I/O thread).
   */
  void workerRegistered(
      Session session, String id, @Nullable String reattachToken, Runnable onRegistered) {
    actor.execute(
        () -> {
          if (session != current) {
            return;
          }
          workerId = id;
          previous = new Reattach(id, reattachToken);
          onRegistered.run();
          connectWaiters.completeAll(null);
        });
  }

  /**
   * The engine refused this worker on {@code session} for good (any thread): stop without
   * reconnecting, in state {@link ConnectionState#FAILED}. Calls waiting on the session and those
   * queued fail with {@code failure}, as does {@code connect()}.
   */
  void fail(Session session, IIIException failure) {
    actor.execute(
        () -> {
          if (!running || (session != current && session != attempting)) {
            return;
          }
          log.error(
              "The iii engine at {} refused this worker: {}; not reconnecting",
              displayAddress(),
              failure.getMessage());
          if (session == current) {
            current = null;
            workerId = null;
          } else {
            attempting = null;
          }
          pendingCalls.failSentOn(
              session,
              call ->
                  new IIIException(
                      failure.code(), failure.errorMessage(), call.functionId(), null, failure));
          giveUp(failure);
          session.close(1000, "refused by the engine");
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
    backoff.reset();
    session.opened(everOpened, System.nanoTime() + reconnectGrace.toNanos());
    everOpened = true;
    int flushed = handler().opened(session);
    current = session; // from now on, calls go straight to this socket
    session.startHeartbeat(pingInterval, idleTimeout, displayAddress());
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
    Duration delay = backoff.next(wasOpen, why);
    if (delay == null) {
      IIIException failure =
          new IIIException(
              IIIException.CONNECTION_FAILED,
              "could not connect to "
                  + displayAddress()
                  + " after "
                  + backoff.attempts()
                  + " retries: "
                  + why,
              null,
              null,
              cause);
      log.error("{}", failure.getMessage());
      giveUp(failure);
      return;
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

  /** Stops for good in state FAILED: nothing will be sent any more. */
  private void giveUp(IIIException failure) {
    running = false;
    cancelReconnect();
    fatal = failure;
    setState(ConnectionState.FAILED);
    connectWaiters.completeAll(failure);
    handler().gaveUp(failure);
  }

  private void cancelReconnect() {
    Timeout timer = reconnectTimer;
    if (timer != null) {
      timer.cancel();
      reconnectTimer = null;
    }
  }

  private void setState(ConnectionState next) {
    listeners.set(next);
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
