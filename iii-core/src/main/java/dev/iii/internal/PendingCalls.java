package dev.iii.internal;

import dev.iii.CallInterceptor;
import dev.iii.IIIException;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.RawJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls this client has sent and not yet seen end, by invocation id. Lock-free: a concurrent
 * map, and a call ends once, for whoever removes it first. Futures are never completed on an I/O
 * thread: results read together are completed together on one callback thread ({@link Batch}), so a
 * burst of results costs one thread hand-off, not one each.
 */
public final class PendingCalls {

  private static final Logger log = LoggerFactory.getLogger(PendingCalls.class);

  /** How long one completion may hold up the others of its batch before another thread helps. */
  static final Duration STALL = Duration.ofMillis(50);

  private final Map<String, PendingCall<?>> calls = new ConcurrentHashMap<>();
  private final Executor callbackExecutor;
  private final NotFoundRetries retries = new NotFoundRetries();

  public PendingCalls(Executor callbackExecutor) {
    this.callbackExecutor = callbackExecutor;
  }

  /** Records a call about to be sent; it fails with code {@code timeout} after {@code timeout}. */
  public <T> PendingCall<T> add(
      String invocationId,
      String functionId,
      Duration timeout,
      CallInterceptor.Completion completion,
      PendingCall.ResultReader<T> reader) {
    PendingCall<T> call = new PendingCall<>(invocationId, functionId, completion, reader);
    call.deadline = System.nanoTime() + timeout.toNanos();
    calls.put(invocationId, call);
    call.timeout = Timers.schedule(timeout, () -> fail(call, timedOut(call, timeout)));
    return call;
  }

  /**
   * Sends calls again that the engine did not find a function for just after an outage ({@link
   * NotFoundRetries}). Set once, when the client is assembled.
   */
  public void resendWith(Consumer<PendingCall<?>> resender) {
    retries.resendWith(resender);
  }

  /** A call's time is up: a timeout, or the engine's answer if it was waiting to be re-sent. */
  private static IIIException timedOut(PendingCall<?> call, Duration timeout) {
    IIIException notFound = call.notFound;
    if (notFound != null && call.waitingToResend) {
      return NotFoundRetries.gaveUp(call, notFound);
    }
    return new IIIException(
        IIIException.TIMEOUT,
        "Invocation timed out after " + timeout.toMillis() + " ms",
        call.functionId,
        null,
        notFound);
  }

  /** A result arrived (on an I/O thread): its call ends with the others of the same read. */
  public void onResult(InvocationResult result, Batch batch) {
    PendingCall<?> call = calls.get(result.invocationId());
    if (call == null) {
      log.debug("Result for unknown or expired invocation {}", result.invocationId());
      return;
    }
    ErrorBody error = result.error();
    IIIException failure =
        error == null
            ? null
            : new IIIException(
                error.code(), error.message(), call.functionId, error.stacktrace(), null);
    if (failure != null && IIIException.FUNCTION_NOT_FOUND.equals(failure.code())) {
      if (retries.retry(call, failure, this)) {
        return;
      }
      failure = NotFoundRetries.gaveUp(call, failure);
    }
    if (!calls.remove(result.invocationId(), call)) {
      return; // ended meanwhile (timeout)
    }
    call.cancelTimeout();
    batch.add(call, result.result(), failure);
  }

  /** Ends a call with an error, unless it has ended already. */
  public boolean fail(PendingCall<?> call, Throwable error) {
    if (!calls.remove(call.invocationId, call)) {
      return false;
    }
    call.cancelTimeout();
    execute(() -> call.finish(null, error));
    return true;
  }

  /** Whether the call is still waiting for its end. */
  public boolean isPending(PendingCall<?> call) {
    return calls.get(call.invocationId) == call;
  }

  /** Fails every call that was sent on {@code session}. */
  public void failSentOn(Session session, Function<PendingCall<?>, Throwable> error) {
    for (PendingCall<?> call : calls.values()) {
      if (call.sentOn == session) {
        fail(call, error.apply(call));
      }
    }
  }

  /** Fails every call. */
  public void failAll(Function<PendingCall<?>, Throwable> error) {
    for (PendingCall<?> call : calls.values()) {
      fail(call, error.apply(call));
    }
  }

  /** Calls waiting for their end. */
  public int size() {
    return calls.size();
  }

  private void execute(Runnable task) {
    try {
      callbackExecutor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // shut down: ending here beats never ending
    }
  }

  /** A new batch, for one I/O thread's reads. */
  public Batch newBatch() {
    return new Batch();
  }

  /**
   * Calls ended by one read, completed together by {@link #flush()}. Confined to one thread.
   *
   * <p>It is also an {@link Executor} for what the engine says besides results (a refused
   * registration), so that whoever a later result wakes sees it: such a task runs on the callback
   * thread before the calls of its read complete, and again before those of every later read until
   * one run has finished — transports may report each message as a read of its own, whose
   * completions another callback thread may run first. Tasks must therefore be idempotent, as
   * completing a future is.
   */
  public final class Batch implements Executor {

    private PendingCall<?>[] ended = new PendingCall<?>[16];
    private @Nullable RawJson[] results = new RawJson[16];
    private @Nullable Throwable[] errors = new Throwable[16];
    private int size;
    private final List<Repeated> unfinished = new ArrayList<>(2);
    private boolean added;

    /**
     * Runs {@code task} on a callback thread before the calls of this read and of later reads
     * complete (possibly more than once: it must be idempotent).
     */
    @Override
    public void execute(Runnable task) {
      unfinished.add(new Repeated(task));
      added = true;
    }

    void add(PendingCall<?> call, @Nullable RawJson result, @Nullable Throwable error) {
      if (size == ended.length) {
        ended = Arrays.copyOf(ended, size * 2);
        results = Arrays.copyOf(results, size * 2);
        errors = Arrays.copyOf(errors, size * 2);
      }
      ended[size] = call;
      results[size] = result;
      errors[size] = error;
      size++;
    }

    /** Hands the calls gathered so far to a callback thread. */
    public void flush() {
      if (!unfinished.isEmpty()) {
        unfinished.removeIf(Repeated::finished);
      }
      if (size == 0 && !added) {
        return; // earlier completions run the unfinished tasks
      }
      added = false;
      Completions task =
          new Completions(
              unfinished.isEmpty() ? NO_TASKS : unfinished.toArray(Runnable[]::new),
              Arrays.copyOf(ended, size),
              Arrays.copyOf(results, size),
              Arrays.copyOf(errors, size));
      Arrays.fill(ended, 0, size, null);
      Arrays.fill(results, 0, size, null);
      Arrays.fill(errors, 0, size, null);
      size = 0;
      PendingCalls.this.execute(task); // to the callback executor, not into this batch
    }
  }

  private static final Runnable[] NO_TASKS = new Runnable[0];

  /** A task of {@link Batch#execute}, and whether one run of it has finished. */
  private static final class Repeated implements Runnable {

    private final Runnable task;
    private volatile boolean finished;

    Repeated(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("A callback of the iii client failed", e);
      } finally {
        finished = true;
      }
    }

    boolean finished() {
      return finished;
    }
  }

  /**
   * Runs the unfinished tasks of {@link Batch#execute}, then completes the read's calls, in order.
   * The thread that runs it takes the calls one by one; while calls are left, a stall guard on the
   * timer looks every {@link #STALL}, and when none was completed since, runs this on another
   * thread too (which runs the tasks again, idempotent, so it too completes calls only after them),
   * and both share the rest.
   */
  private final class Completions implements Runnable {

    private final Runnable[] first;
    private final PendingCall<?>[] ended;
    private final @Nullable RawJson[] results;
    private final @Nullable Throwable[] errors;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private int doneAtLastLook; // only the guard's timer task reads and writes it

    Completions(
        Runnable[] first,
        PendingCall<?>[] ended,
        @Nullable RawJson[] results,
        @Nullable Throwable[] errors) {
      this.first = first;
      this.ended = ended;
      this.results = results;
      this.errors = errors;
      if (ended.length > 1 || (ended.length > 0 && first.length > 0)) {
        guard();
      }
    }

    @Override
    public void run() {
      for (Runnable task : first) {
        task.run();
      }
      for (int i = next.getAndIncrement(); i < ended.length; i = next.getAndIncrement()) {
        ended[i].finish(results[i], errors[i]);
        done.incrementAndGet();
      }
    }

    private void guard() {
      Timers.schedule(
          STALL,
          () -> {
            int now = done.get();
            if (next.get() >= ended.length) {
              return; // every call taken: nothing left to share
            }
            if (now == doneAtLastLook) {
              execute(this); // stalled: another thread shares the rest
            }
            doneAtLastLook = now;
            guard();
          });
    }
  }
}
