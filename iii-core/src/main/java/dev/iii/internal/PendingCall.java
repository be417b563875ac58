package dev.iii.internal;

import dev.iii.CallInterceptor;
import dev.iii.IIIException;
import dev.iii.protocol.RawJson;
import io.netty.util.Timeout;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call waiting for its result. Whoever removes it from {@link PendingCalls} first — result,
 * timeout, connection loss or shutdown — ends it; the others find it gone.
 *
 * @param <T> what the result is read as
 */
public final class PendingCall<T> {

  private static final Logger log = LoggerFactory.getLogger(PendingCall.class);

  /** Reads a call's raw result as what the caller asked for. */
  @FunctionalInterface
  public interface ResultReader<T> {
    @Nullable T read(@Nullable RawJson result);
  }

  final String invocationId;
  final String functionId;
  final CompletableFuture<@Nullable T> future = new CompletableFuture<>();
  private final CallInterceptor.Completion completion;
  private final ResultReader<T> reader;

  /** The session the call was sent on; {@code null} while it waits to be sent. */
  volatile @Nullable Session sentOn;

  volatile @Nullable Timeout timeout;

  /** When ({@link System#nanoTime()}) its timeout expires. */
  volatile long deadline;

  // Sending again after function_not_found ({@link NotFoundRetries}); written by whoever sends it.

  /** Whether it was sent after an outage, so may be sent again until {@link #retryUntil}. */
  private volatile boolean afterOutage;

  volatile long retryUntil;

  /** The frame, kept while the call may be sent again; {@code null} otherwise. */
  volatile byte @Nullable [] resendable;

  /** The engine's last function_not_found answer, if it had one. */
  volatile @Nullable IIIException notFound;

  /** Whether it waits to be sent again (not in flight). */
  volatile boolean waitingToResend;

  /** How often it was sent again. */
  volatile int resends;

  PendingCall(
      String invocationId,
      String functionId,
      CallInterceptor.Completion completion,
      ResultReader<T> reader) {
    this.invocationId = invocationId;
    this.functionId = functionId;
    this.completion = completion;
    this.reader = reader;
  }

  /**
   * Records that the call goes out on {@code session} (before it does).
   *
   * @param madeOffline whether it waited for a connection (queued, or made while disconnected)
   */
  void sending(Session session, byte[] frame, boolean madeOffline) {
    if (madeOffline || session.reconnected()) {
      long end = session.graceEnd();
      if (!afterOutage || end - retryUntil > 0) {
        retryUntil = end;
      }
      afterOutage = true;
    }
    resendable = afterOutage ? frame : null;
    sentOn = session;
  }

  /** What the caller holds. */
  public CompletableFuture<@Nullable T> future() {
    return future;
  }

  public String functionId() {
    return functionId;
  }

  /** Reads the result and completes the future. Runs on a callback thread. */
  void finish(@Nullable RawJson result, @Nullable Throwable error) {
    resendable = null;
    Throwable failure = error;
    T value = null;
    if (failure == null) {
      try {
        value = reader.read(result);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (completion != CallInterceptor.Completion.NONE) {
      try {
        completion.completed(failure);
      } catch (RuntimeException e) {
        log.warn("Call interceptor completion failed for {}", functionId, e);
      }
    }
    if (failure != null) {
      future.completeExceptionally(failure);
    } else {
      future.complete(value);
    }
  }

  void cancelTimeout() {
    Timeout scheduled = timeout;
    if (scheduled != null) {
      scheduled.cancel();
    }
  }
}
