package dev.iii.engine.registry;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A registered trigger: when its type's provider decides to fire, it calls {@code functionId}.
 *
 * @param ownerWorkerId the worker that registered it, or {@code null} when the engine did
 */
public record Trigger(
    String id,
    String triggerType,
    String functionId,
    JsonNode config,
    @Nullable String ownerWorkerId) {}
