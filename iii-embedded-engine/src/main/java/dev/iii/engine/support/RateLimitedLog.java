package dev.iii.engine.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Warnings that a client can provoke at will (bad frames, dropped sockets…), written at most once
 * per cause per interval: the first one at once, then one line per interval that says how many more
 * there were. Nothing is lost silently, and a flood cannot fill the log.
 *
 * <p>Causes are a small fixed vocabulary chosen by the caller (e.g. {@code "undecodable frame"}),
 * never text a client chose; past {@value #MAX_CAUSES} distinct causes they share one budget.
 *
 * <p>Concurrency: lock-free; any thread may call {@link #warn}.
 */
public final class RateLimitedLog {

  static final int MAX_CAUSES = 256;

  private static final String OTHER = "(other causes)";

  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** Per-cause state: when the next line may be written, and how many were held back since. */
  private static final class Window {
    final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong held = new AtomicLong();
  }

  /** One line per cause per {@code interval} on {@code log}. */
  public RateLimitedLog(Logger log, Duration interval) {
    this(log, interval, System::nanoTime);
  }

  RateLimitedLog(Logger log, Duration interval, LongSupplier clock) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.clock = clock;
  }

  /**
   * Writes a WARN line for {@code cause} unless one was written less than an interval ago; then it
   * is counted, and the next line written for that cause says how many were held back.
   *
   * @param format an SLF4J format; a trailing {@link Throwable} argument is logged as usual
   */
  public void warn(String cause, String format, @Nullable Object... arguments) {
    if (!log.isWarnEnabled()) {
      return;
    }
    Window window = window(cause);
    long now = clock.getAsLong();
    long next = window.nextAt.get();
    if ((next != Long.MIN_VALUE && now - next < 0)
        || !window.nextAt.compareAndSet(next, now + intervalNanos)) {
      window.held.incrementAndGet();
      return;
    }
    long held = window.held.getAndSet(0);
    if (held == 0) {
      log.warn(format, arguments);
      return;
    }
    @Nullable Object[] withCount = appendBeforeThrowable(arguments, held);
    log.warn(format + " ({} more like this since the last such line were not logged)", withCount);
  }

  private Window window(String cause) {
    Window window = windows.get(cause);
    if (window != null) {
      return window;
    }
    if (windows.size() >= MAX_CAUSES) {
      return windows.computeIfAbsent(OTHER, key -> new Window());
    }
    return windows.computeIfAbsent(cause, key -> new Window());
  }

  /** SLF4J treats a trailing Throwable as the exception: the count goes before it. */
  private static @Nullable Object[] appendBeforeThrowable(@Nullable Object[] arguments, long held) {
    int n = arguments.length;
    @Nullable Object[] out = Arrays.copyOf(arguments, n + 1);
    if (n > 0 && arguments[n - 1] instanceof Throwable) {
      out[n - 1] = held;
      out[n] = arguments[n - 1];
    } else {
      out[n] = held;
    }
    return out;
  }
}
