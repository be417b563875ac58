package dev.iii.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One warning that may repeat without bound (a call dropped from the full offline queue…), written
 * at most once per interval: the first at once, then one line per interval that says how many more
 * there were, and {@link #flush} writes what is still held back when the episode ends. Nothing is
 * lost silently, and a flood cannot fill the log. (The engine has its own, per cause; iii-core does
 * not depend on the engine.)
 *
 * <p>Concurrency: lock-free; any thread may call {@link #warn} and {@link #flush}.
 */
final class RateLimitedLog {

  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier clock;

  /** When the next line may be written; {@link Long#MIN_VALUE}: at once. */
  private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);

  /** Lines held back since the last one written. */
  private final AtomicLong held = new AtomicLong();

  RateLimitedLog(Logger log, Duration interval) {
    this(log, interval, System::nanoTime);
  }

  RateLimitedLog(Logger log, Duration interval, LongSupplier clock) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.clock = clock;
  }

  /**
   * Writes a WARN line unless one was written less than an interval ago; then it is counted, and
   * the next line says how many were held back.
   *
   * @param format an SLF4J format
   */
  void warn(String format, Object... arguments) {
    long now = clock.getAsLong();
    long next = nextAt.get();
    if ((next != Long.MIN_VALUE && now - next < 0)
        || !nextAt.compareAndSet(next, now + intervalNanos)) {
      held.incrementAndGet();
      return;
    }
    write(format, arguments);
  }

  /**
   * Writes one line with the count of lines held back since the last one, if any; the next {@link
   * #warn} is written at once.
   *
   * @param format an SLF4J format whose last placeholder receives the count
   */
  void flush(String format, Object... arguments) {
    nextAt.set(Long.MIN_VALUE);
    long count = held.getAndSet(0);
    if (count > 0) {
      Object[] withCount = java.util.Arrays.copyOf(arguments, arguments.length + 1);
      withCount[arguments.length] = count;
      log.warn(format, withCount);
    }
  }

  /** Lines held back since the last one written (for tests). */
  long held() {
    return held.get();
  }

  private void write(String format, Object... arguments) {
    long count = held.getAndSet(0);
    if (count == 0) {
      log.warn(format, arguments);
      return;
    }
    Object[] withCount = java.util.Arrays.copyOf(arguments, arguments.length + 1);
    withCount[arguments.length] = count;
    log.warn(format + " ({} more like this since the last such line)", withCount);
  }
}
