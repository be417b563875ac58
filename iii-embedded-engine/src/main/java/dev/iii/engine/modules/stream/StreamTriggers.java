package dev.iii.engine.modules.stream;

import dev.iii.engine.modules.TriggerConditions;
import dev.iii.engine.registry.InvalidTriggerException;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.router.InvocationRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The trigger types {@code stream} (a function called on every change of a stream: its config is
 * {@code stream_name} (required), {@code group_id}, {@code item_id}, {@code condition_function_id};
 * it receives the message subscribers get), {@code stream:join} and {@code stream:leave} (called
 * when a socket joins or leaves a stream; a join trigger answering {@code {"unauthorized": true}}
 * refuses the join).
 *
 * <p>Concurrency: the {@code stream} triggers are indexed by stream name in concurrent maps; join
 * and leave triggers are read from the engine's trigger registry; calls are asynchronous and never
 * made under a lock.
 */
final class StreamTriggers {

  static final String STREAM = "stream";
  static final String JOIN = "stream:join";
  static final String LEAVE = "stream:leave";

  private static final Logger log = LoggerFactory.getLogger(StreamTriggers.class);

  private final InvocationRouter invocations;
  private final TriggerRegistry registry;
  private final Map<String, Map<String, Trigger>> byStream = new ConcurrentHashMap<>();

  StreamTriggers(InvocationRouter invocations, TriggerRegistry registry) {
    this.invocations = invocations;
    this.registry = registry;
  }

  /** The provider of {@code stream} triggers. */
  TriggerProvider streamProvider() {
    return new TriggerProvider() {
      @Override
      public void register(Trigger trigger) {
        JsonNode name = trigger.config().path("stream_name");
        if (!name.isString()) {
          // The official engine cannot index a trigger without a stream name either.
          throw new InvalidTriggerException("Failed to deserialize stream trigger");
        }
        for (String key : List.of("group_id", "item_id", TriggerConditions.CONDITION_KEY)) {
          JsonNode value = trigger.config().path(key);
          if (!value.isMissingNode() && !value.isNull() && !value.isString()) {
            throw new InvalidTriggerException("Failed to deserialize stream trigger");
          }
        }
        byStream
            .computeIfAbsent(name.asString(), key -> new ConcurrentHashMap<>())
            .put(trigger.id(), trigger);
        log.info(
            "Stream trigger {} on {} -> {}", trigger.id(), name.asString(), trigger.functionId());
      }

      @Override
      public void unregister(Trigger trigger) {
        String name = trigger.config().path("stream_name").asString();
        byStream.computeIfPresent(
            name,
            (key, triggers) -> {
              triggers.remove(trigger.id());
              return triggers.isEmpty() ? null : triggers;
            });
      }
    };
  }

  /** The provider of {@code stream:join} and {@code stream:leave} triggers (no config). */
  TriggerProvider joinLeaveProvider() {
    return new TriggerProvider() {
      @Override
      public void register(Trigger trigger) {
        log.info(
            "Stream {} trigger {} -> {}",
            trigger.triggerType(),
            trigger.id(),
            trigger.functionId());
      }

      @Override
      public void unregister(Trigger trigger) {}
    };
  }

  /**
   * Calls the {@code stream} triggers that match a message, one after the other (each after its
   * condition), and returns at once. Failures are logged.
   */
  void fire(JsonNode message) {
    Map<String, Trigger> triggers = byStream.get(StreamMessages.streamName(message));
    if (triggers == null) {
      return;
    }
    String groupId = StreamMessages.groupId(message);
    String itemId = StreamMessages.id(message);
    List<Trigger> matching = new ArrayList<>();
    for (Trigger trigger : triggers.values()) {
      String group = trigger.config().path("group_id").asString("");
      String item = trigger.config().path("item_id").asString("");
      if ((!group.isEmpty() && !group.equals(groupId))
          || (!item.isEmpty() && !item.equals(itemId == null ? "" : itemId))) {
        continue;
      }
      matching.add(trigger);
    }
    CompletableFuture<@Nullable Void> chain = CompletableFuture.completedFuture(null);
    for (Trigger trigger : matching) {
      chain = chain.thenCompose(ignored -> fireOne(trigger, message));
    }
  }

  private CompletableFuture<@Nullable Void> fireOne(Trigger trigger, JsonNode message) {
    String condition = TriggerConditions.conditionFunctionId(trigger);
    CompletableFuture<Boolean> proceed =
        condition == null
            ? CompletableFuture.completedFuture(true)
            : invocations
                .call(condition, message.deepCopy())
                .handle(
                    (result, error) -> {
                      if (error != null) {
                        log.error(
                            "Stream trigger {}: condition function {} failed: {}",
                            trigger.id(),
                            condition,
                            error.getMessage());
                        return false;
                      }
                      return result == null || !(result.isBoolean() && !result.booleanValue());
                    });
    return proceed.thenCompose(
        go -> {
          if (!go) {
            return CompletableFuture.completedFuture(null);
          }
          return invocations
              .call(trigger.functionId(), message.deepCopy(), trigger.metadata())
              .handle(
                  (result, error) -> {
                    if (error != null) {
                      log.error(
                          "Stream trigger {} call to {} failed: {}",
                          trigger.id(),
                          trigger.functionId(),
                          error.getMessage());
                    }
                    return null;
                  });
        });
  }

  /**
   * Calls every {@code stream:join} trigger one after the other with the join event.
   *
   * @return whether one of them answered {@code {"unauthorized": true}}
   */
  CompletableFuture<Boolean> join(JsonNode event) {
    CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(false);
    for (Trigger trigger : registry.triggersOfType(JOIN)) {
      chain =
          chain.thenCompose(
              refused ->
                  invocations
                      .call(trigger.functionId(), event.deepCopy(), trigger.metadata())
                      .handle(
                          (result, error) -> {
                            if (error != null) {
                              log.error(
                                  "Stream join trigger call to {} failed: {}",
                                  trigger.functionId(),
                                  error.getMessage());
                              return refused;
                            }
                            if (result == null) {
                              return refused;
                            }
                            JsonNode unauthorized = result.path("unauthorized");
                            if (!unauthorized.isBoolean()) {
                              log.error(
                                  "Stream join trigger {} answered without a boolean"
                                      + " `unauthorized`",
                                  trigger.functionId());
                              return refused;
                            }
                            return refused || unauthorized.booleanValue();
                          }));
    }
    return chain;
  }

  /** Calls every {@code stream:leave} trigger one after the other; their answers are ignored. */
  CompletableFuture<@Nullable Void> leave(JsonNode event) {
    CompletableFuture<@Nullable Void> chain = CompletableFuture.completedFuture(null);
    for (Trigger trigger : registry.triggersOfType(LEAVE)) {
      chain =
          chain.thenCompose(
              ignored ->
                  invocations
                      .call(trigger.functionId(), event.deepCopy(), trigger.metadata())
                      .handle(
                          (result, error) -> {
                            if (error != null) {
                              log.debug(
                                  "Stream leave trigger call to {} failed: {}",
                                  trigger.functionId(),
                                  error.getMessage());
                            }
                            return null;
                          }));
    }
    return chain;
  }
}
