package dev.iii.internal;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of the SDK in this JVM: call timeouts, handshake and close deadlines. A hashed
 * wheel makes scheduling and cancelling O(1) without a lock, and drops cancelled timeouts at the
 * next tick, so a call that ended early leaves nothing behind. Tasks run on its single daemon
 * thread and must only hand work on.
 */
public final class Timers {

  /** Timeouts fire within one tick of their deadline. */
  private static final long TICK_MILLIS = 10;

  private static final Timer SHARED =
      new HashedWheelTimer(new DaemonThreads("iii-timer"), TICK_MILLIS, TimeUnit.MILLISECONDS, 512);

  private Timers() {}

  /** Runs {@code task} after {@code delay} on the timer thread. */
  public static Timeout schedule(Duration delay, Runnable task) {
    return SHARED.newTimeout(timeout -> task.run(), delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
