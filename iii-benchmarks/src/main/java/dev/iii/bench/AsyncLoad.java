package dev.iii.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Keeps N calls in flight without a thread per call: each completion issues the next call from its
 * callback.
 *
 * <p>Thread-safe: callbacks run on whatever thread completes a future; a generation number tells
 * them whether to go on, and {@link #setInFlight} (protocol thread only) waits for the calls of the
 * previous generation to finish.
 */
final class AsyncLoad implements LoadGenerator {

  /** Past this many nested synchronous completions, the next call is issued from another thread. */
  private static final int MAX_NESTING = 16;

  private static final ThreadLocal<int[]> NESTING = ThreadLocal.withInitial(() -> new int[1]);

  private final Supplier<CompletableFuture<?>> call;
  private final Predicate<Object> isExpected;
  private final CallStats stats;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ScheduledExecutorService relaunch =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "bench-async-relaunch");
            thread.setDaemon(true);
            return thread;
          });
  private volatile int generation;

  /**
   * @param call issues one call
   * @param isExpected whether a result is the right answer (otherwise it counts as an error)
   */
  AsyncLoad(Supplier<CompletableFuture<?>> call, Predicate<Object> isExpected, CallStats stats) {
    this.call = call;
    this.isExpected = isExpected;
    this.stats = stats;
  }

  @Override
  public void setInFlight(int count) {
    int current = ++generation;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (int i = 0; i < count; i++) {
      issue(current);
    }
  }

  private void issue(int callGeneration) {
    inFlight.incrementAndGet();
    long start = System.nanoTime();
    CompletableFuture<?> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenComplete(
        (result, error) -> {
          boolean failed = error != null || !isExpected.test(result);
          if (error != null) {
            stats.failure(
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error);
          } else if (failed) {
            stats.failure(new IllegalStateException("unexpected result: " + result));
          } else {
            stats.success(start);
          }
          inFlight.decrementAndGet();
          if (generation == callGeneration) {
            next(callGeneration, failed);
          }
        });
  }

  private void issueIfCurrent(int callGeneration) {
    if (generation == callGeneration) {
      issue(callGeneration);
    }
  }

  private void next(int callGeneration, boolean afterFailure) {
    if (afterFailure) {
      relaunch.schedule(() -> issueIfCurrent(callGeneration), 10, TimeUnit.MILLISECONDS);
      return;
    }
    int[] nesting = NESTING.get();
    if (nesting[0] >= MAX_NESTING) {
      relaunch.execute(() -> issueIfCurrent(callGeneration));
      return;
    }
    nesting[0]++;
    try {
      issue(callGeneration);
    } finally {
      nesting[0]--;
    }
  }
}
