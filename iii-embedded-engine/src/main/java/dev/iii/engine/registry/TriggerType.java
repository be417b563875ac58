package dev.iii.engine.registry;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A trigger type and who provides it.
 *
 * @param ownerWorkerId the providing worker, or {@code null} for an engine module
 * @param moduleName the providing engine module's worker name (e.g. {@code iii-http}), or {@code
 *     null}
 * @param configurationSchema JSON Schema of a binding's {@code config}, or {@code null}
 * @param requestSchema JSON Schema of what a bound function receives, or {@code null}
 * @param responseSchema JSON Schema of what a bound function must return, or {@code null}
 */
public record TriggerType(
    String id,
    String description,
    TriggerProvider provider,
    @Nullable String ownerWorkerId,
    @Nullable String moduleName,
    @Nullable JsonNode configurationSchema,
    @Nullable JsonNode requestSchema,
    @Nullable JsonNode responseSchema) {

  /** A type without module name or schemas. */
  public TriggerType(
      String id, String description, TriggerProvider provider, @Nullable String ownerWorkerId) {
    this(id, description, provider, ownerWorkerId, null, null, null, null);
  }

  public boolean isEngineType() {
    return ownerWorkerId == null;
  }
}
