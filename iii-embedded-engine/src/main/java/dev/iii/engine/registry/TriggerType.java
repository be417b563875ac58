package dev.iii.engine.registry;

import org.jspecify.annotations.Nullable;

/**
 * A trigger type and who provides it.
 *
 * @param ownerWorkerId the providing worker, or {@code null} for an engine module
 */
public record TriggerType(
    String id, String description, TriggerProvider provider, @Nullable String ownerWorkerId) {

  public boolean isEngineType() {
    return ownerWorkerId == null;
  }
}
