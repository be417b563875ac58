package dev.iii.internal;

import dev.iii.IIIException;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine restarts (ARCHITECTURE.md, "Engine restarts: why calls wait in the client"): a call sent
 * after an outage — queued while disconnected, or made within {@code InitOptions.reconnectGrace}
 * after a reconnect — that the engine answers {@code function_not_found} was not invoked: the
 * worker that provides the function may not have registered again yet. So it is sent again, as it
 * was (same invocation id), after a short backoff ({@link #FIRST_DELAY} doubling up to {@link
 * #MAX_DELAY}), until another answer comes, the grace ends or the call's own timeout would expire
 * first; then it fails with the engine's answer, saying how often it was re-sent.
 *
 * <p>Concurrency: stateless but for the resender, set once when the client is assembled; a call's
 * retry state is in volatile fields of its {@link PendingCall}, written by the one thread that
 * holds the call at the time — the I/O thread that read its answer, then the timer task that sends
 * it again.
 */
final class NotFoundRetries {

  private static final Logger log = LoggerFactory.getLogger(NotFoundRetries.class);

  static final Duration FIRST_DELAY = Duration.ofMillis(50);
  static final Duration MAX_DELAY = Duration.ofMillis(500);

  private volatile @Nullable Consumer<PendingCall<?>> resender;

  /** Sends a call again (the client's endpoint); without one, nothing is re-sent. */
  void resendWith(Consumer<PendingCall<?>> resender) {
    this.resender = resender;
  }

  /**
   * On the I/O thread: the engine answered {@code call} with {@code function_not_found}.
   *
   * @return whether the call will be sent again; it then stays pending
   */
  boolean retry(PendingCall<?> call, IIIException notFound, PendingCalls calls) {
    byte[] frame = call.resendable;
    Consumer<PendingCall<?>> resend = resender;
    if (frame == null || resend == null) {
      return false; // not sent after an outage
    }
    long delay = delayNanos(call.resends);
    long at = System.nanoTime() + delay;
    if (at - call.retryUntil >= 0 || at - call.deadline >= 0) {
      return false; // the grace or the call's time would be over before it went out again
    }
    call.notFound = notFound;
    call.waitingToResend = true;
    call.sentOn = null; // not in flight: losing the connection meanwhile does not end it
    int resends = ++call.resends;
    log.debug(
        "{} not found by the engine after a reconnect; sending the call again ({}) in {} ms",
        call.functionId,
        resends,
        Duration.ofNanos(delay).toMillis());
    Timers.schedule(
        Duration.ofNanos(delay),
        () -> {
          call.waitingToResend = false;
          if (calls.isPending(call)) {
            resend.accept(call);
          }
        });
    return true;
  }

  /** What a call that is not sent again fails with: the engine's answer, with the re-sends. */
  static IIIException gaveUp(PendingCall<?> call, IIIException notFound) {
    int resends = call.resends;
    if (resends == 0) {
      return notFound;
    }
    return new IIIException(
        notFound.code(),
        notFound.errorMessage()
            + " (re-sent "
            + resends
            + (resends == 1 ? " time" : " times")
            + " after a reconnect while its worker could still come back)",
        call.functionId,
        null,
        null);
  }

  private static long delayNanos(int resends) {
    long delay = FIRST_DELAY.toNanos() << Math.min(resends, 10);
    return Math.min(delay, MAX_DELAY.toNanos());
  }
}
