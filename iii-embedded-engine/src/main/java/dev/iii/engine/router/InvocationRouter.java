package dev.iii.engine.router;

import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.registry.EngineFunction;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.Worker;
import dev.iii.engine.registry.WorkerOutbound;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.RawJson;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Routes invocations to their handler and results back to their caller. Every invocation is keyed
 * by one id, the same from caller to handler, and always ends: with a result, an error, {@code
 * invocation_stopped} when its handler or caller disconnects, or {@code timeout} once it has waited
 * longer than the engine's invocation timeout ({@code limits.invocation_timeout_ms}; callers time
 * out earlier by themselves, and the protocol has no cancel message, so this is what makes the
 * engine forget an abandoned invocation). A result that arrives later is dropped with a debug line.
 * Payloads pass through as JSON text ({@link RawJson}), never read.
 *
 * <p>A worker's call is answered from here, straight from the handler's result ({@link #forward});
 * calls from inside the engine get a future ({@link #invoke}, {@link #call}).
 *
 * <p>Concurrency: any event loop may call in; the only shared state is the concurrent map of
 * pending invocations, and each pending invocation ends exactly once (whoever removes it from the
 * map ends it). Disconnects are rare, so ending a worker's invocations scans the map rather than
 * every call keeping per-worker sets up to date. Timeouts cost a call nothing but a clock read: one
 * task on the engine's scheduler ({@link #scheduleExpiry}) sweeps the map a few times per timeout
 * and ends what is overdue.
 *
 * <p>Over 400 lines on purpose: the pending map and every way an entry leaves it (result, error,
 * disconnect, undecodable result, timeout) stay in one class, so that "each invocation ends exactly
 * once" can be checked by reading one file.
 */
public final class InvocationRouter {

  private static final Logger log = LoggerFactory.getLogger(InvocationRouter.class);

  /** Where the outcome of an invocation goes. */
  private interface Outcome {

    void succeeded(@Nullable RawJson result);

    void failed(InvocationError error);
  }

  /**
   * An invocation waiting for a worker's {@code invocationresult}, since {@code startedNanos} (on
   * the router's clock).
   */
  private record Pending(
      String id,
      String functionId,
      @Nullable Worker caller,
      Worker handler,
      Outcome outcome,
      long startedNanos) {}

  /** The shortest and longest pause between two sweeps for overdue invocations. */
  private static final Duration MIN_SWEEP = Duration.ofMillis(10);

  private static final Duration MAX_SWEEP = Duration.ofSeconds(1);

  private final FunctionRegistry functions;
  private final TriggerRegistry triggers;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Duration invocationTimeout;
  private final long timeoutNanos;
  private final LongSupplier clock;

  /** A router with the default invocation timeout ({@link EngineLimits#defaults()}). */
  public InvocationRouter(FunctionRegistry functions, TriggerRegistry triggers) {
    this(functions, triggers, EngineLimits.defaults().invocationTimeout());
  }

  /**
   * A router that ends invocations waiting longer than {@code invocationTimeout}, once {@link
   * #scheduleExpiry} has started the sweeps.
   */
  public InvocationRouter(
      FunctionRegistry functions, TriggerRegistry triggers, Duration invocationTimeout) {
    this(functions, triggers, invocationTimeout, System::nanoTime);
  }

  /** With a clock in nanoseconds, for tests that move time themselves. */
  InvocationRouter(
      FunctionRegistry functions,
      TriggerRegistry triggers,
      Duration invocationTimeout,
      LongSupplier clock) {
    this.functions = functions;
    this.triggers = triggers;
    this.invocationTimeout = invocationTimeout;
    this.timeoutNanos = invocationTimeout.toNanos();
    this.clock = clock;
  }

  /**
   * Sweeps for overdue invocations on {@code scheduler} from now on ({@link #expireOverdue}), a
   * quarter of the invocation timeout apart (between 10 ms and 1 s), so an abandoned invocation
   * ends at most a quarter later than its timeout, or a second.
   *
   * @return the scheduled sweeps, to cancel them
   */
  public ScheduledFuture<?> scheduleExpiry(ScheduledExecutorService scheduler) {
    Duration quarter = invocationTimeout.dividedBy(4);
    long period =
        (quarter.compareTo(MIN_SWEEP) < 0
                ? MIN_SWEEP
                : quarter.compareTo(MAX_SWEEP) > 0 ? MAX_SWEEP : quarter)
            .toNanos();
    return scheduler.scheduleWithFixedDelay(
        this::expireOverdue, period, period, TimeUnit.NANOSECONDS);
  }

  /**
   * Ends every invocation that has waited at least the invocation timeout: its caller gets a {@code
   * timeout} error naming the function and the limit; a result the handler sends later is dropped.
   *
   * @return how many invocations ended
   */
  public int expireOverdue() {
    long now = clock.getAsLong();
    int expired = 0;
    for (Pending entry : pending.values()) {
      if (now - entry.startedNanos >= timeoutNanos && pending.remove(entry.id, entry)) {
        expired++;
        try {
          entry.outcome.failed(timedOut(entry.functionId));
        } catch (RuntimeException e) {
          log.warn("Could not tell the caller of {} that it timed out", entry.functionId, e);
        }
      }
    }
    if (expired > 0) {
      log.debug(
          "{} invocation(s) ended after the invocation timeout of {} ms",
          expired,
          invocationTimeout.toMillis());
    }
    return expired;
  }

  private InvocationError timedOut(String functionId) {
    return new InvocationError(
        "timeout",
        "Function "
            + functionId
            + " did not answer within the engine's invocation timeout of "
            + invocationTimeout.toMillis()
            + " ms (limits: invocation_timeout_ms)");
  }

  /**
   * Calls a function from inside the engine (triggers, modules).
   *
   * @return the result ({@code null} for none), or a stage failed with {@link InvocationError}
   */
  public CompletableFuture<@Nullable JsonNode> call(String functionId, JsonNode data) {
    return call(functionId, data, null);
  }

  /**
   * Calls a function from inside the engine with a {@code metadata} sidecar (a trigger's, for
   * instance), delivered to the handler next to {@code data}.
   *
   * @return the result ({@code null} for none), or a stage failed with {@link InvocationError}
   */
  public CompletableFuture<@Nullable JsonNode> call(
      String functionId, JsonNode data, @Nullable JsonNode metadata) {
    return invoke(
            InvocationIds.random(),
            functionId,
            RawJson.of(data),
            metadata == null ? null : RawJson.of(metadata),
            null,
            null,
            null)
        .thenApply(result -> result == null ? null : result.toTree());
  }

  /**
   * Routes one invocation whose outcome the engine waits for.
   *
   * @param caller the calling worker, or {@code null} for the engine; it is told nothing here, the
   *     returned stage is what the caller's side sends on
   */
  public CompletableFuture<@Nullable RawJson> invoke(
      String invocationId,
      String functionId,
      RawJson data,
      @Nullable RawJson metadata,
      @Nullable String traceparent,
      @Nullable String baggage,
      @Nullable Worker caller) {
    CompletableFuture<@Nullable RawJson> future = new CompletableFuture<>();
    route(
        invocationId,
        functionId,
        data,
        metadata,
        traceparent,
        baggage,
        caller,
        new Outcome() {
          @Override
          public void succeeded(@Nullable RawJson result) {
            future.complete(result);
          }

          @Override
          public void failed(InvocationError error) {
            future.completeExceptionally(error);
          }
        });
    return future;
  }

  /**
   * Routes a worker's call and answers the caller itself, with an {@code invocationresult} carrying
   * the call's id, function id and trace context, unless the call expects no answer.
   *
   * @param metadata the call's metadata sidecar, handed on to the handler, or {@code null}
   * @param reply whether the caller expects an answer (it gave an id and did not ask for void)
   */
  public void forward(
      String invocationId,
      String functionId,
      RawJson data,
      @Nullable RawJson metadata,
      @Nullable String traceparent,
      @Nullable String baggage,
      Worker caller,
      boolean reply) {
    route(
        invocationId,
        functionId,
        data,
        metadata,
        traceparent,
        baggage,
        caller,
        reply
            ? new Answer(caller, invocationId, functionId, traceparent, baggage)
            : new Discard(functionId));
  }

  private void route(
      String invocationId,
      String functionId,
      RawJson data,
      @Nullable RawJson metadata,
      @Nullable String traceparent,
      @Nullable String baggage,
      @Nullable Worker caller,
      Outcome outcome) {
    RegisteredFunction function = functions.get(functionId).orElse(null);
    if (function == null) {
      outcome.failed(InvocationError.functionNotFound(functionId));
      return;
    }
    EngineFunction body = function.engineFunction();
    if (body != null) {
      runEngineFunction(functionId, body, data, outcome);
      return;
    }
    Worker handler = Objects.requireNonNull(function.owner());
    Pending entry =
        new Pending(invocationId, functionId, caller, handler, outcome, clock.getAsLong());
    Pending replaced = pending.put(invocationId, entry);
    if (replaced != null) {
      // Same id reused while in flight: the earlier call can no longer be answered.
      replaced.outcome.failed(new InvocationError("invocation_error", "channel closed"));
    }
    WorkerOutbound.Offer offer =
        handler.offer(
            new InvokeFunction(
                invocationId, functionId, data, traceparent, baggage, null, metadata, null));
    if (offer == WorkerOutbound.Offer.BUSY && pending.remove(invocationId, entry)) {
      outcome.failed(
          new InvocationError(
              "unavailable",
              "Function "
                  + functionId
                  + " is not taking invocations: its worker has not read what was already sent"
                  + " to it (limits: max_outbound_bytes)"));
    } else if (offer != WorkerOutbound.Offer.QUEUED) {
      stop(entry);
    }
  }

  /** Resolves a pending invocation with a worker's result; any connection may answer. */
  public void onResult(InvocationResult result) {
    Pending entry = pending.remove(result.invocationId());
    if (entry == null) {
      // Unknown, or already ended (timed out, stopped): nobody waits for it any more.
      log.debug(
          "Did not find caller for invocation {} ({})", result.invocationId(), result.functionId());
      return;
    }
    ErrorBody error = result.error();
    if (error != null) {
      entry.outcome.failed(new InvocationError(error));
    } else {
      entry.outcome.succeeded(result.result());
    }
  }

  /**
   * Ends a pending invocation at once with an error, e.g. when its result arrived but could not be
   * read.
   *
   * @param error makes the error from the invocation's function id
   * @return {@code false} when no invocation with that id is pending
   */
  public boolean fail(String invocationId, Function<String, InvocationError> error) {
    Pending entry = pending.remove(invocationId);
    if (entry == null) {
      return false;
    }
    entry.outcome.failed(error.apply(entry.functionId));
    return true;
  }

  /** Ends every invocation the worker takes part in, as caller or handler. */
  public void haltWorker(Worker worker) {
    for (Pending entry : pending.values()) {
      if (entry.handler == worker || entry.caller == worker) {
        stop(entry);
      }
    }
  }

  /** How many invocations the worker takes part in now, as caller or handler. */
  public int activeInvocations(Worker worker) {
    int count = 0;
    for (Pending entry : pending.values()) {
      if (entry.handler == worker || entry.caller == worker) {
        count++;
      }
    }
    return count;
  }

  /** Calls every function bound to triggers of the given type, fire-and-forget. */
  public void fireTriggers(String triggerType, JsonNode payload) {
    for (Trigger trigger : triggers.triggersOfType(triggerType)) {
      call(trigger.functionId(), payload.deepCopy(), trigger.metadata())
          .whenComplete(
              (result, error) -> {
                if (error != null) {
                  log.debug(
                      "Trigger {} ({}) call to {} failed: {}",
                      trigger.id(),
                      triggerType,
                      trigger.functionId(),
                      error.getMessage());
                }
              });
    }
  }

  /** Number of invocations waiting for a worker. */
  public int pendingCount() {
    return pending.size();
  }

  private void stop(Pending entry) {
    if (pending.remove(entry.id, entry)) {
      entry.outcome.failed(InvocationError.stopped());
    }
  }

  private static void runEngineFunction(
      String functionId, EngineFunction body, RawJson data, Outcome outcome) {
    CompletionStage<@Nullable JsonNode> stage;
    try {
      stage = body.invoke(data.toTree());
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (result, error) -> {
          if (error == null) {
            outcome.succeeded(result == null ? null : RawJson.of(result));
            return;
          }
          InvocationError invocationError = InvocationError.of(error);
          if ("invocation_failed".equals(invocationError.body().code())) {
            log.warn("Engine function {} failed", functionId, error);
          }
          outcome.failed(invocationError);
        });
  }

  /** Answers the calling worker, with the call's ids and trace context. */
  private record Answer(
      Worker caller,
      String invocationId,
      String functionId,
      @Nullable String traceparent,
      @Nullable String baggage)
      implements Outcome {

    @Override
    public void succeeded(@Nullable RawJson result) {
      caller.send(
          new InvocationResult(invocationId, functionId, result, null, traceparent, baggage));
    }

    @Override
    public void failed(InvocationError error) {
      caller.send(
          new InvocationResult(invocationId, functionId, null, error.body(), traceparent, baggage));
    }
  }

  /** A fire-and-forget call: nobody waits; a failure is only worth a debug line. */
  private record Discard(String functionId) implements Outcome {

    @Override
    public void succeeded(@Nullable RawJson result) {}

    @Override
    public void failed(InvocationError error) {
      log.debug("Fire-and-forget call to {} failed: {}", functionId, error.getMessage());
    }
  }
}
