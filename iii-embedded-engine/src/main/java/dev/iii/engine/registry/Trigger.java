package dev.iii.engine.registry;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A registered trigger: when its type's provider decides to fire, it calls {@code functionId}.
 *
 * @param ownerWorkerId the worker that registered it, or {@code null} when the engine did
 * @param metadata what the registration carried (engine 0.22+), delivered with every fire as the
 *     call's {@code metadata}, or {@code null}
 */
public record Trigger(
    String id,
    String triggerType,
    String functionId,
    JsonNode config,
    @Nullable String ownerWorkerId,
    @Nullable JsonNode metadata) {

  public Trigger(
      String id,
      String triggerType,
      String functionId,
      JsonNode config,
      @Nullable String ownerWorkerId) {
    this(id, triggerType, functionId, config, ownerWorkerId, null);
  }
}
