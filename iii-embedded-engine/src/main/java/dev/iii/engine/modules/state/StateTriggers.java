package dev.iii.engine.modules.state;

import dev.iii.engine.registry.InvalidTriggerException;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.support.RateLimitedLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code state} trigger type: triggers with optional {@code scope}, {@code key} and {@code
 * condition_function_id}, and the fan-out of one change event to the matching ones. As in the
 * official engine ({@code workers/state/state.rs} {@code invoke_triggers}), a write's fan-out runs
 * after the write, apart from it: its triggers are called one after the other (each after its
 * condition function, if any, returned anything but {@code false}); a failure is logged and never
 * reaches the writer. At most {@value #MAX_IN_FLIGHT} fan-outs run at once; beyond that a change's
 * fan-out is dropped and logged (rate-limited), so slow trigger functions cannot queue writes
 * without limit.
 *
 * <p>Concurrency: the trigger map is concurrent; a fan-out reads a snapshot of it.
 */
final class StateTriggers implements TriggerProvider {

  /** The trigger type id. */
  static final String TRIGGER_TYPE = "state";

  static final int MAX_IN_FLIGHT = 10_000;

  private static final Logger log = LoggerFactory.getLogger(StateTriggers.class);
  private static final RateLimitedLog dropped = new RateLimitedLog(log, Duration.ofSeconds(10));

  private final Map<String, Registered> triggers = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final InvocationRouter invocations;
  private final Executor executor;
  private final BooleanSupplier enabled;

  private record Registered(
      Trigger trigger, @Nullable String scope, @Nullable String key, @Nullable String condition) {}

  StateTriggers(InvocationRouter invocations, Executor executor, BooleanSupplier enabled) {
    this.invocations = invocations;
    this.executor = executor;
    this.enabled = enabled;
  }

  @Override
  public void register(Trigger trigger) {
    JsonNode config = trigger.config();
    if (!config.isObject() && !config.isNull() && !config.isMissingNode()) {
      throw new InvalidTriggerException(
          "Failed to parse trigger config: invalid type: expected struct StateTriggerConfig");
    }
    Registered registered =
        new Registered(
            trigger,
            optional(config, "scope"),
            optional(config, "key"),
            optional(config, "condition_function_id"));
    triggers.put(trigger.id(), registered);
    log.info(
        "State trigger {} (scope {}, key {}) -> {}",
        trigger.id(),
        registered.scope(),
        registered.key(),
        trigger.functionId());
  }

  @Override
  public void unregister(Trigger trigger) {
    triggers.remove(trigger.id());
  }

  /** How many triggers are armed. */
  int size() {
    return triggers.size();
  }

  private static @Nullable String optional(JsonNode config, String field) {
    JsonNode value = config.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new InvalidTriggerException(
          "Failed to parse trigger config: invalid type for `" + field + "`: expected a string");
    }
    return value.stringValue();
  }

  /** Starts the fan-out of one change event; returns at once. */
  void fire(ObjectNode event, String scope, String key) {
    if (!enabled.getAsBoolean()) {
      log.debug("state trigger fan-out disabled via configuration; skipping");
      return;
    }
    List<Registered> matching =
        triggers.values().stream()
            .filter(t -> t.scope() == null || t.scope().equals(scope))
            .filter(t -> t.key() == null || t.key().equals(key))
            .toList();
    if (matching.isEmpty()) {
      return;
    }
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      dropped.warn(
          "fan-out limit",
          "State change {}/{} not delivered to {} trigger(s): {} fan-outs already running",
          scope,
          key,
          matching.size(),
          MAX_IN_FLIGHT);
      return;
    }
    try {
      executor.execute(() -> run(matching, 0, event));
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      log.debug("State change {}/{} not delivered: the engine is stopping", scope, key);
    }
  }

  private void run(List<Registered> matching, int index, ObjectNode event) {
    if (index == matching.size()) {
      inFlight.decrementAndGet();
      return;
    }
    Registered registered = matching.get(index);
    condition(registered, event)
        .thenCompose(
            proceed -> {
              if (!proceed) {
                return CompletableFuture.completedFuture(null);
              }
              Trigger trigger = registered.trigger();
              return invocations
                  .call(trigger.functionId(), event.deepCopy(), trigger.metadata())
                  .handle(
                      (result, error) -> {
                        if (error != null) {
                          log.error(
                              "State trigger {}: calling {} failed: {}",
                              trigger.id(),
                              trigger.functionId(),
                              error.getMessage());
                        }
                        return null;
                      });
            })
        .whenComplete((ignored, error) -> run(matching, index + 1, event));
  }

  /** Only a JSON {@code false} skips the trigger; a failing condition skips it too (logged). */
  private CompletableFuture<Boolean> condition(Registered registered, ObjectNode event) {
    String condition = registered.condition();
    if (condition == null) {
      return CompletableFuture.completedFuture(true);
    }
    return invocations
        .call(condition, event.deepCopy())
        .handle(
            (result, error) -> {
              if (error != null) {
                log.error(
                    "State trigger {}: condition function {} failed: {}",
                    registered.trigger().id(),
                    condition,
                    error.getMessage());
                return false;
              }
              return result == null || !(result.isBoolean() && !result.booleanValue());
            });
  }
}
