package dev.iii.internal;

import dev.iii.IIIException;
import dev.iii.InvocationStats;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the client stops (Temporal's shutdown manager, in short): refuse new invocations, let the
 * running and waiting ones finish within a drain timeout, fail what still waits for an answer,
 * close the socket, release the client's threads. Also the JVM shutdown hook of {@code
 * awaitShutdown()}. Thread-safe: the first shutdown wins, the others share its future.
 */
public final class Shutdown {

  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

  /** How long the socket may take to close. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final String workerName;
  private final InvocationDispatcher dispatcher;
  private final EngineConnection connection;
  private final EngineEndpoint endpoint;
  private final PendingCalls pendingCalls;
  private final ExecutorService callbackExecutor;
  private final @Nullable ExecutorService ownedHandlerExecutor;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean hookInstalled = new AtomicBoolean();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  public Shutdown(
      String workerName,
      InvocationDispatcher dispatcher,
      EngineConnection connection,
      EngineEndpoint endpoint,
      PendingCalls pendingCalls,
      ExecutorService callbackExecutor,
      @Nullable ExecutorService ownedHandlerExecutor) {
    this.workerName = workerName;
    this.dispatcher = dispatcher;
    this.connection = connection;
    this.endpoint = endpoint;
    this.pendingCalls = pendingCalls;
    this.callbackExecutor = callbackExecutor;
    this.ownedHandlerExecutor = ownedHandlerExecutor;
  }

  /** Stops, draining invocations for up to {@code drainTimeout} (zero: at once). Idempotent. */
  public CompletableFuture<Void> shutdown(Duration drainTimeout) {
    if (!started.compareAndSet(false, true)) {
      return done;
    }
    boolean drain = !drainTimeout.isNegative() && !drainTimeout.isZero();
    dispatcher.refuse("worker " + workerName + " is shutting down", !drain);
    CompletableFuture<Void> drained =
        drain
            ? dispatcher
                .whenIdle()
                .completeOnTimeout(null, drainTimeout.toMillis(), TimeUnit.MILLISECONDS)
            : CompletableFuture.completedFuture(null);
    drained.whenComplete((ignored, error) -> disconnect());
    return done;
  }

  /**
   * Blocks until the client has shut down, after installing (once) a JVM shutdown hook that shuts
   * it down gracefully.
   */
  public void await(Duration hookDrainTimeout) throws InterruptedException {
    if (hookInstalled.compareAndSet(false, true)) {
      Thread hook = new Thread(() -> fromHook(hookDrainTimeout), "iii-shutdown-hook");
      Runtime.getRuntime().addShutdownHook(hook);
      done.whenComplete((ignored, error) -> removeHook(hook));
    }
    try {
      done.get();
    } catch (ExecutionException e) {
      // shutdown never fails
    }
  }

  /** After the drain: no more calls, the socket closes, the threads go. */
  private void disconnect() {
    InvocationStats left = dispatcher.stats();
    if (left.inFlight() + left.queued() > 0) {
      log.warn(
          "Shutting down with {} invocations still running and {} waiting: their callers are"
              + " told invocation_stopped",
          left.inFlight(),
          left.queued());
    }
    IIIException stopped = new IIIException(IIIException.SHUTDOWN, "iii is shutting down");
    CompletableFuture<Void> closed = connection.stop();
    pendingCalls.failAll(call -> stopped);
    connection.execute(() -> endpoint.failQueued(stopped));
    closed
        .orTimeout(CLOSE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)
        .whenComplete((ignored, error) -> releaseThreads());
  }

  private void releaseThreads() {
    try {
      callbackExecutor.execute(() -> done.complete(null));
    } catch (RejectedExecutionException e) {
      done.complete(null);
    }
    callbackExecutor.shutdown();
    if (ownedHandlerExecutor != null) {
      ownedHandlerExecutor.shutdown();
    }
  }

  private void fromHook(Duration drain) {
    log.info(
        "JVM shutting down: iii worker {} lets running invocations finish (up to {} ms)",
        workerName,
        drain.toMillis());
    try {
      shutdown(drain).get(drain.plus(CLOSE_TIMEOUT).toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("iii worker {} did not shut down in time", workerName);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already: the hook is running or has run
    }
  }
}
