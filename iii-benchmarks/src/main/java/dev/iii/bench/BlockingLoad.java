package dev.iii.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * One platform thread per call in flight, each issuing a call and blocking until it returns, in a
 * loop: how most applications call.
 *
 * <p>Not thread-safe: {@link #setInFlight} is called by the protocol thread only; the caller
 * threads share nothing but {@link CallStats} and a volatile stop flag.
 */
final class BlockingLoad implements LoadGenerator {

  private final Callable<Object> call;
  private final Predicate<Object> isExpected;
  private final CallStats stats;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  /**
   * @param call issues one call and blocks until its result
   * @param isExpected whether a result is the right answer (otherwise it counts as an error)
   */
  BlockingLoad(Callable<Object> call, Predicate<Object> isExpected, CallStats stats) {
    this.call = call;
    this.isExpected = isExpected;
    this.stats = stats;
  }

  @Override
  public void setInFlight(int inFlight) {
    running = false;
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    threads.clear();
    running = inFlight > 0;
    for (int i = 0; i < inFlight; i++) {
      Thread thread = new Thread(this::callInLoop, "bench-caller-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void callInLoop() {
    while (running) {
      long start = System.nanoTime();
      try {
        Object result = call.call();
        if (isExpected.test(result)) {
          stats.success(start);
        } else {
          stats.failure(new IllegalStateException("unexpected result: " + result));
        }
      } catch (Exception e) {
        stats.failure(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        pauseAfterFailure();
      }
    }
  }

  private static void pauseAfterFailure() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
