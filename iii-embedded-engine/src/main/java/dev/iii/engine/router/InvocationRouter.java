package dev.iii.engine.router;

import dev.iii.engine.registry.EngineFunction;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.Worker;
import dev.iii.protocol.ErrorBody;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.RawJson;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Routes invocations to their handler and results back to their caller. Every invocation is keyed
 * by one id, the same from caller to handler; the engine itself sets no timeout (callers do), but
 * an invocation always ends: with a result, an error, or {@code invocation_stopped} when its
 * handler or caller disconnects. Payloads pass through as JSON text ({@link RawJson}), never read.
 */
public final class InvocationRouter {

  private static final Logger log = LoggerFactory.getLogger(InvocationRouter.class);

  /** An invocation waiting for a worker's {@code invocationresult}. */
  private record Pending(
      String id,
      String functionId,
      CompletableFuture<@Nullable RawJson> future,
      @Nullable Worker caller,
      Worker handler) {}

  private final FunctionRegistry functions;
  private final TriggerRegistry triggers;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  public InvocationRouter(FunctionRegistry functions, TriggerRegistry triggers) {
    this.functions = functions;
    this.triggers = triggers;
  }

  /**
   * Calls a function from inside the engine (triggers, modules).
   *
   * @return the result ({@code null} for none), or a stage failed with {@link InvocationError}
   */
  public CompletableFuture<@Nullable JsonNode> call(String functionId, JsonNode data) {
    return invoke(InvocationIds.random(), functionId, RawJson.of(data), null, null, null)
        .thenApply(result -> result == null ? null : result.toTree());
  }

  /**
   * Routes one invocation.
   *
   * @param caller the calling worker, or {@code null} for the engine; it is told nothing here, the
   *     returned stage is what the caller's side sends on
   */
  public CompletableFuture<@Nullable RawJson> invoke(
      String invocationId,
      String functionId,
      RawJson data,
      @Nullable String traceparent,
      @Nullable String baggage,
      @Nullable Worker caller) {
    RegisteredFunction function = functions.get(functionId).orElse(null);
    if (function == null) {
      return CompletableFuture.failedFuture(InvocationError.functionNotFound(functionId));
    }
    EngineFunction body = function.engineFunction();
    if (body != null) {
      return runEngineFunction(functionId, body, data);
    }
    Worker handler = java.util.Objects.requireNonNull(function.owner());
    CompletableFuture<@Nullable RawJson> future = new CompletableFuture<>();
    Pending entry = new Pending(invocationId, functionId, future, caller, handler);
    Pending replaced = pending.put(invocationId, entry);
    if (replaced != null) {
      // Same id reused while in flight: the earlier call can no longer be answered.
      forget(replaced);
      replaced.future.completeExceptionally(
          new InvocationError("invocation_error", "channel closed"));
    }
    if (caller != null) {
      caller.invocations().add(invocationId);
    }
    handler.invocations().add(invocationId);
    boolean sent =
        handler.send(
            new InvokeFunction(invocationId, functionId, data, traceparent, baggage, null));
    if (!sent) {
      stop(invocationId);
    }
    return future;
  }

  /** Resolves a pending invocation with a worker's result; any connection may answer. */
  public void onResult(InvocationResult result) {
    Pending entry = pending.remove(result.invocationId());
    if (entry == null) {
      log.debug(
          "Did not find caller for invocation {} ({})", result.invocationId(), result.functionId());
      return;
    }
    forget(entry);
    ErrorBody error = result.error();
    if (error != null) {
      entry.future.completeExceptionally(new InvocationError(error));
    } else {
      entry.future.complete(result.result());
    }
  }

  /** Ends every invocation the worker takes part in, as caller or handler. */
  public void haltWorker(Worker worker) {
    for (String id : List.copyOf(worker.invocations())) {
      stop(id);
    }
    worker.invocations().clear();
  }

  /** Calls every function bound to triggers of the given type, fire-and-forget. */
  public void fireTriggers(String triggerType, JsonNode payload) {
    for (Trigger trigger : triggers.triggersOfType(triggerType)) {
      call(trigger.functionId(), payload.deepCopy())
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

  private void stop(String invocationId) {
    Pending entry = pending.remove(invocationId);
    if (entry != null) {
      forget(entry);
      entry.future.completeExceptionally(InvocationError.stopped());
    }
  }

  private void forget(Pending entry) {
    entry.handler.invocations().remove(entry.id);
    if (entry.caller != null) {
      entry.caller.invocations().remove(entry.id);
    }
  }

  private static CompletableFuture<@Nullable RawJson> runEngineFunction(
      String functionId, EngineFunction body, RawJson data) {
    CompletionStage<@Nullable JsonNode> stage;
    try {
      stage = body.invoke(data.toTree());
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage
        .toCompletableFuture()
        .handle(
            (result, error) -> {
              if (error == null) {
                return result == null ? null : RawJson.of(result);
              }
              InvocationError invocationError = InvocationError.of(error);
              if ("invocation_failed".equals(invocationError.body().code())) {
                log.warn("Engine function {} failed", functionId, error);
              }
              throw invocationError;
            });
  }
}
