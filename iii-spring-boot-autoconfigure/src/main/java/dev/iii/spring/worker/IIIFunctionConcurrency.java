package dev.iii.spring.worker;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * How many invocations of each function run at once and how many may wait, and the executor they
 * run on. A function's limits come from {@code iii.worker.functions[id].*} first, then its
 * {@code @IIIFunction(concurrency, queueCapacity)}, then the defaults ({@code
 * iii.worker.max-concurrency}, {@code iii.worker.max-queued}).
 *
 * @param defaultConcurrency invocations of one function that run at once unless configured
 * @param defaultQueueCapacity invocations of one function that may wait unless configured
 * @param overrides limits per function id
 * @param executor runs the invocations; it must not queue (each function bounds its own work), so a
 *     thread per running invocation: a cached pool or virtual threads
 */
public record IIIFunctionConcurrency(
    int defaultConcurrency,
    int defaultQueueCapacity,
    Map<String, Limits> overrides,
    Executor executor) {

  /** Checks the defaults; copies the overrides. */
  public IIIFunctionConcurrency {
    if (defaultConcurrency < 1) {
      throw new IllegalArgumentException(
          "iii.worker.max-concurrency must be at least 1, was " + defaultConcurrency);
    }
    if (defaultQueueCapacity < 0) {
      throw new IllegalArgumentException(
          "iii.worker.max-queued must not be negative, was " + defaultQueueCapacity);
    }
    overrides = Map.copyOf(overrides);
    Objects.requireNonNull(executor, "executor");
  }

  /**
   * One function's limits; {@code null} keeps the annotation's value or the default.
   *
   * @param concurrency invocations that run at once
   * @param queueCapacity invocations that may wait
   */
  public record Limits(@Nullable Integer concurrency, @Nullable Integer queueCapacity) {}

  /**
   * {@code max(8, 2 × CPUs)} at once and 10,000 waiting per function, on {@link
   * #newPlatformExecutor()}.
   */
  public static IIIFunctionConcurrency defaults() {
    return new IIIFunctionConcurrency(
        Math.max(8, 2 * Runtime.getRuntime().availableProcessors()),
        10_000,
        Map.of(),
        Holder.SHARED);
  }

  /**
   * A pool that starts a daemon platform thread ({@code iii-function-N}) whenever none is idle and
   * lets idle ones go after a minute; its size is bounded by the functions' limits.
   */
  public static ThreadPoolExecutor newPlatformExecutor() {
    CustomizableThreadFactory threads = new CustomizableThreadFactory("iii-function-");
    threads.setDaemon(true);
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
  }

  /** The limits of {@code functionId}, declared as {@code annotated} on its method. */
  FunctionLane laneFor(String functionId, int annotatedConcurrency, int annotatedQueueCapacity) {
    Limits configured = overrides.get(functionId);
    int concurrency =
        configured != null && configured.concurrency() != null
            ? configured.concurrency()
            : annotatedConcurrency > 0 ? annotatedConcurrency : defaultConcurrency;
    int queueCapacity =
        configured != null && configured.queueCapacity() != null
            ? configured.queueCapacity()
            : annotatedQueueCapacity >= 0 ? annotatedQueueCapacity : defaultQueueCapacity;
    return new FunctionLane(functionId, concurrency, queueCapacity, executor);
  }

  /** The executor of {@link #defaults()}, made on first use. */
  private static final class Holder {
    static final Executor SHARED = newPlatformExecutor();
  }
}
