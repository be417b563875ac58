package dev.iii.internal;

import dev.iii.Context;
import dev.iii.ContextLogger;
import dev.iii.IIIException;
import dev.iii.InvocationStats;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.RawJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

/**
 * Runs the invocations of this worker's functions. They arrive on an I/O thread, wait in a bounded
 * queue, and run on the handler executor, at most {@code maxConcurrency} at a time; when the queue
 * is full, the caller is answered {@code unavailable} at once.
 *
 * <p>Concurrency: lock-free. Up to {@code maxConcurrency} drain loops run on the executor, each
 * taking invocations from the queue until it is empty; so under load a handler thread goes from one
 * invocation to the next without a hand-off, and the I/O thread only starts a loop when one is
 * free.
 *
 * <p>Over 400 lines on purpose: the queue, the drain loops, the stall guard and the shutdown drain
 * share the same counters, and splitting them would expose those counters across classes.
 */
public final class InvocationDispatcher {

  private static final Logger log = LoggerFactory.getLogger(InvocationDispatcher.class);

  /** Queued work worth another loop: what would wait longer than this for the loops running. */
  static final long SPAWN_BACKLOG_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** How long the queue may stand still, with loops to spare, before the guard adds a loop. */
  static final Duration STALL = Duration.ofMillis(10);

  private final Registrations registrations;
  private final Payloads payloads;
  private final Executor executor;
  private final int maxConcurrency;
  private final int maxQueued;
  private final MessageCodec codec = MessageCodec.instance();
  private final ConcurrentLinkedQueue<Invocation> queue = new ConcurrentLinkedQueue<>();

  /** Accepted and not yet answered: queued plus running. */
  private final AtomicInteger admitted = new AtomicInteger();

  /** Running: a handler started and its answer not yet sent. */
  private final AtomicInteger running = new AtomicInteger();

  /** Drain loops on the executor. */
  private final AtomicInteger loops = new AtomicInteger();

  /** Loops inside a handler call (the others are between invocations). */
  private final AtomicInteger busy = new AtomicInteger();

  /** Invocations taken off the queue so far: the guard's measure of progress. */
  private final AtomicLong taken = new AtomicLong();

  private final AtomicBoolean guarded = new AtomicBoolean();

  /**
   * How long a handler call has been taking lately (a moving average; updates may race, which only
   * blurs it). Until measured, as if each invocation deserved a loop of its own.
   */
  private volatile long averageNanos = SPAWN_BACKLOG_NANOS;

  private final LongAdder rejected = new LongAdder();
  private final List<CompletableFuture<Void>> idleWaiters = new CopyOnWriteArrayList<>();
  private final Runnable drainLoop = this::drain;
  private volatile @Nullable String refusal;

  public InvocationDispatcher(
      Registrations registrations,
      Payloads payloads,
      Executor executor,
      int maxConcurrency,
      int maxQueued) {
    this.registrations = registrations;
    this.payloads = payloads;
    this.executor = executor;
    this.maxConcurrency = maxConcurrency;
    this.maxQueued = maxQueued;
  }

  /** An invocation arrived (on an I/O thread). */
  public void dispatch(Session from, InvokeFunction invoke) {
    LocalFunction function = registrations.function(invoke.functionId());
    if (function == null) {
      reply(
          from,
          invoke,
          null,
          new ErrorBody(
              IIIException.FUNCTION_NOT_FOUND, "Function '" + invoke.functionId() + "' not found"));
      return;
    }
    String refused = refusal;
    if (refused != null) {
      reply(from, invoke, null, new ErrorBody(IIIException.UNAVAILABLE, refused));
      return;
    }
    if (admitted.incrementAndGet() > maxConcurrency + maxQueued) {
      admitted.decrementAndGet();
      rejected.increment();
      reply(
          from,
          invoke,
          null,
          new ErrorBody(
              IIIException.UNAVAILABLE,
              "worker is overloaded: "
                  + maxConcurrency
                  + " invocations running and "
                  + maxQueued
                  + " waiting; "
                  + invoke.functionId()
                  + " was not run"));
      return;
    }
    queue.add(new Invocation(from, invoke, function));
    startLoopIfWorthIt();
    guard();
  }

  /** What runs and waits now. */
  public InvocationStats stats() {
    int inFlight = running.get();
    int queued = Math.max(0, admitted.get() - inFlight);
    return new InvocationStats(inFlight, queued, maxConcurrency, maxQueued, rejected.sum());
  }

  /**
   * Stops taking invocations: new ones are answered {@code unavailable}. Those already queued still
   * run, unless {@code dropQueued}, in which case they are answered {@code unavailable} too.
   */
  public void refuse(String reason, boolean dropQueued) {
    refusal = reason;
    if (dropQueued) {
      for (Invocation waiting = queue.poll(); waiting != null; waiting = queue.poll()) {
        reply(waiting.from, waiting.invoke, null, new ErrorBody(IIIException.UNAVAILABLE, reason));
        finished();
      }
    }
  }

  /** Completes once nothing runs or waits. */
  public CompletableFuture<Void> whenIdle() {
    CompletableFuture<Void> idle = new CompletableFuture<>();
    idleWaiters.add(idle);
    if (admitted.get() == 0) {
      idle.complete(null);
      idleWaiters.remove(idle);
    }
    return idle;
  }

  /** Starts a loop unless one can take the queued work soon enough. */
  private void startLoopIfWorthIt() {
    while (true) {
      int current = loops.get();
      if (current >= maxConcurrency || (current > 0 && !worthAnotherLoop(current))) {
        return;
      }
      if (loops.compareAndSet(current, current + 1)) {
        break;
      }
    }
    executeLoop();
  }

  private boolean worthAnotherLoop(int current) {
    if (current > busy.get()) {
      return false; // a loop between invocations takes it at once
    }
    long waiting = Math.max(0, admitted.get() - running.get());
    return waiting * averageNanos / current >= SPAWN_BACKLOG_NANOS;
  }

  private void executeLoop() {
    try {
      executor.execute(drainLoop);
    } catch (RuntimeException | Error e) { // rejected, or no thread could be started
      loops.decrementAndGet();
      log.warn("The handler executor did not take a drain loop: {}", e.toString());
      refuseQueuedAfterRejection();
    }
  }

  private void drain() {
    while (true) {
      Invocation next = queue.poll();
      if (next == null) {
        loops.decrementAndGet();
        // An invocation queued after the poll, while every other loop was busy: take it.
        if (queue.isEmpty() || !reacquire()) {
          return;
        }
        continue;
      }
      taken.incrementAndGet();
      busy.incrementAndGet();
      startLoopIfWorthIt(); // more waiting than this loop gets through soon: help
      long start = System.nanoTime();
      try {
        run(next);
      } catch (RuntimeException | Error e) {
        // run() answers every failure of the handler itself; this is a failure to answer. The
        // loop goes on, so that nothing waits behind it.
        log.error(
            "Could not answer {} ({})", next.invoke.functionId(), next.invoke.invocationId(), e);
      } finally {
        busy.decrementAndGet();
        long average = averageNanos;
        averageNanos = average + (System.nanoTime() - start - average) / 8;
      }
    }
  }

  /**
   * While work waits, looks every {@link #STALL}: when no loop took anything since, all loops are
   * held up (a handler slower than its record), and another loop starts if the limit allows.
   */
  private void guard() {
    if (guarded.compareAndSet(false, true)) {
      long before = taken.get();
      Timers.schedule(STALL, () -> lookForStall(before));
    }
  }

  private void lookForStall(long takenBefore) {
    if (queue.isEmpty()) {
      guarded.set(false);
      if (!queue.isEmpty()) {
        guard(); // work came in between: look again
      }
      return;
    }
    long now = taken.get();
    if (now == takenBefore) {
      while (true) {
        int current = loops.get();
        if (current >= maxConcurrency) {
          break;
        }
        if (loops.compareAndSet(current, current + 1)) {
          executeLoop();
          break;
        }
      }
    }
    Timers.schedule(STALL, () -> lookForStall(now));
  }

  private boolean reacquire() {
    while (true) {
      int current = loops.get();
      if (current >= maxConcurrency) {
        return false;
      }
      if (loops.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  private void refuseQueuedAfterRejection() {
    if (loops.get() > 0) {
      return; // a running loop will empty the queue
    }
    for (Invocation waiting = queue.poll(); waiting != null; waiting = queue.poll()) {
      reply(
          waiting.from,
          waiting.invoke,
          null,
          new ErrorBody(
              IIIException.UNAVAILABLE,
              "worker cannot run "
                  + waiting.invoke.functionId()
                  + ": handler executor rejected it"));
      finished();
    }
  }

  private void run(Invocation invocation) {
    InvokeFunction invoke = invocation.invoke;
    running.incrementAndGet();
    Object output;
    MDC.put(ContextLogger.MDC_FUNCTION_ID, invoke.functionId());
    if (invoke.invocationId() != null) {
      MDC.put(ContextLogger.MDC_INVOCATION_ID, invoke.invocationId());
    }
    try {
      Context context =
          Context.of(
              invoke.functionId(),
              invoke.invocationId(),
              invoke.traceparent(),
              invoke.baggage(),
              payloads.readValue(invoke.metadata()));
      output = Context.with(context, () -> invocation.function.handle(invoke.data()));
    } catch (Throwable failure) {
      replyFailure(invocation, failure);
      return;
    } finally {
      MDC.remove(ContextLogger.MDC_FUNCTION_ID);
      MDC.remove(ContextLogger.MDC_INVOCATION_ID);
    }
    CompletionStage<?> stage = asStage(output);
    if (stage == null) {
      replySuccess(invocation, output);
      return;
    }
    stage.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            replyFailure(invocation, failure);
          } else {
            replySuccess(invocation, value);
          }
        });
  }

  private static @Nullable CompletionStage<?> asStage(@Nullable Object output) {
    if (output instanceof CompletionStage<?> stage) {
      return stage;
    }
    if (output instanceof Mono<?> mono) {
      return mono.toFuture();
    }
    return null;
  }

  private void replySuccess(Invocation invocation, @Nullable Object value) {
    InvokeFunction invoke = invocation.invoke;
    try {
      RawJson result;
      try {
        result = payloads.write(value);
      } catch (RuntimeException e) {
        replyFailure(
            invocation,
            new IIIException(
                IIIException.INVOCATION_FAILED,
                "result of "
                    + invoke.functionId()
                    + " cannot be written as JSON: "
                    + e.getMessage()));
        return;
      }
      reply(invocation.from, invoke, result, null);
    } finally {
      ended();
    }
  }

  private void replyFailure(Invocation invocation, Throwable failure) {
    InvokeFunction invoke = invocation.invoke;
    try {
      Throwable cause = unwrap(failure);
      ErrorBody error;
      if (cause instanceof IIIException iii) {
        log.warn(
            "Function {} (invocation {}) answered {}: {}",
            invoke.functionId(),
            invoke.invocationId(),
            iii.code(),
            iii.errorMessage());
        error = new ErrorBody(iii.code(), iii.errorMessage(), stackTrace(cause));
      } else {
        log.warn(
            "Function {} (invocation {}) failed",
            invoke.functionId(),
            invoke.invocationId(),
            cause);
        String message =
            cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
        error = new ErrorBody(IIIException.INVOCATION_FAILED, message, stackTrace(cause));
      }
      reply(invocation.from, invoke, null, error);
    } finally {
      ended();
    }
  }

  /** A running invocation answered. */
  private void ended() {
    running.decrementAndGet();
    finished();
  }

  private void finished() {
    if (admitted.decrementAndGet() == 0 && !idleWaiters.isEmpty()) {
      for (CompletableFuture<Void> idle : idleWaiters) {
        if (admitted.get() == 0 && idle.complete(null)) {
          idleWaiters.remove(idle);
        }
      }
    }
  }

  /**
   * Answers an invocation on the session it came from. If that session has closed, the engine has
   * ended the invocation already and would not know the id on another one: the answer is dropped. A
   * result larger than the engine accepts is answered {@code payload_too_large} instead, so the
   * caller learns why and the connection stays up.
   */
  private void reply(
      Session from, InvokeFunction invoke, @Nullable RawJson result, @Nullable ErrorBody error) {
    String invocationId = invoke.invocationId();
    if (invocationId == null) {
      if (error != null) {
        log.debug("Fire-and-forget call to {} failed: {}", invoke.functionId(), error.message());
      }
      return;
    }
    byte[] frame =
        codec.encodeToBytes(
            new InvocationResult(
                invocationId,
                invoke.functionId(),
                result,
                error,
                invoke.traceparent(),
                invoke.baggage()));
    try {
      Payloads.checkFrameSize(invoke.functionId(), frame, "the result of " + invoke.functionId());
    } catch (IIIException tooLarge) {
      log.warn(
          "Function {} (invocation {}): {}",
          invoke.functionId(),
          invocationId,
          tooLarge.errorMessage());
      frame =
          codec.encodeToBytes(
              InvocationResult.failure(
                  invocationId,
                  invoke.functionId(),
                  new ErrorBody(tooLarge.code(), tooLarge.errorMessage())));
    }
    if (!from.send(frame)) {
      log.debug(
          "Dropped the answer of {} ({}): its connection is gone",
          invoke.functionId(),
          invocationId);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String stackTrace(Throwable failure) {
    StringWriter out = new StringWriter();
    failure.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** One accepted invocation. */
  private record Invocation(Session from, InvokeFunction invoke, LocalFunction function) {}
}
