package dev.iii.spring.worker;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function's share of the worker: at most {@code concurrency} of its invocations run at once,
 * at most {@code queueCapacity} more wait, in arrival order; beyond that it refuses. Each function
 * has its own lane, so a slow function fills only its own queue and never delays the others. A
 * method that returns a future frees its slot when it returns; the future is not awaited here.
 *
 * <p>Concurrency: thread-safe; a lock guards the counters and the queue, and neither the executor
 * nor a task is ever called while it is held.
 */
final class FunctionLane implements IIIFunctionLoad {

  private static final Logger log = LoggerFactory.getLogger(FunctionLane.class);

  private final String functionId;
  private final int concurrency;
  private final int queueCapacity;
  private final Executor executor;
  private final Object lock = new Object();
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private int running;
  private long rejectedOverloaded;
  private long rejectedShuttingDown;
  private long lastLogNanos;
  private boolean loggedOnce;
  private long unlogged;

  /** At most one refusal line per function in this time; the ones in between are counted in it. */
  static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  FunctionLane(String functionId, int concurrency, int queueCapacity, Executor executor) {
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "The concurrency of " + functionId + " must be at least 1, was " + concurrency);
    }
    if (queueCapacity < 0) {
      throw new IllegalArgumentException(
          "The queue capacity of " + functionId + " must not be negative, was " + queueCapacity);
    }
    this.functionId = functionId;
    this.concurrency = concurrency;
    this.queueCapacity = queueCapacity;
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * Runs {@code task} now if a slot is free, else queues it.
   *
   * @return {@code false} when the queue is full: the task will not run (the refusal is logged)
   */
  boolean submit(Runnable task) {
    boolean full = false;
    synchronized (lock) {
      if (running < concurrency) {
        running++;
      } else if (queue.size() < queueCapacity) {
        queue.add(task);
        return true;
      } else {
        rejectedOverloaded++;
        full = true;
      }
    }
    if (full) {
      logRefusal("its queue is full (" + concurrency + " running, " + queueCapacity + " waiting)");
      return false;
    }
    try {
      executor.execute(() -> runFrom(task));
    } catch (RuntimeException | Error e) { // rejected, or no thread could be started
      synchronized (lock) {
        running--;
        rejectedOverloaded++;
      }
      logRefusal("the function executor did not take it (" + e + ")");
      return false;
    }
    return true;
  }

  /**
   * Drops the invocations still waiting, when shutdown gave up on them: they never run.
   *
   * @return how many were dropped
   */
  int discardQueued() {
    synchronized (lock) {
      int dropped = queue.size();
      queue.clear();
      return dropped;
    }
  }

  /** Counts and logs an invocation refused because the worker is shutting down. */
  void refusedShuttingDown() {
    synchronized (lock) {
      rejectedShuttingDown++;
    }
    logRefusal("the worker is shutting down");
  }

  /** Logs a refusal at WARN, at most once per {@link #LOG_INTERVAL_NANOS} for this function. */
  private void logRefusal(String reason) {
    long now = System.nanoTime();
    long skipped;
    synchronized (lock) {
      if (loggedOnce && now - lastLogNanos < LOG_INTERVAL_NANOS) {
        unlogged++;
        return;
      }
      loggedOnce = true;
      lastLogNanos = now;
      skipped = unlogged;
      unlogged = 0;
    }
    if (skipped == 0) {
      log.warn("Refused an invocation of iii function {}: {}", functionId, reason);
    } else {
      log.warn(
          "Refused an invocation of iii function {}: {} ({} more refused since the last such line)",
          functionId,
          reason,
          skipped);
    }
  }

  /** Runs {@code first}, then what queued meanwhile, until the queue is empty. */
  private void runFrom(Runnable first) {
    Runnable next = first;
    while (next != null) {
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        log.error("An invocation of {} could not be answered", functionId, e);
      }
      synchronized (lock) {
        next = queue.poll();
        if (next == null) {
          running--;
        }
      }
    }
  }

  @Override
  public String functionId() {
    return functionId;
  }

  @Override
  public int concurrency() {
    return concurrency;
  }

  @Override
  public int queueCapacity() {
    return queueCapacity;
  }

  @Override
  public int running() {
    synchronized (lock) {
      return running;
    }
  }

  @Override
  public int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  @Override
  public long rejectedOverloaded() {
    synchronized (lock) {
      return rejectedOverloaded;
    }
  }

  @Override
  public long rejectedShuttingDown() {
    synchronized (lock) {
      return rejectedShuttingDown;
    }
  }
}
