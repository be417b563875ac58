package dev.iii.engine.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trigger types and triggers. A trigger whose type is not (or no longer) provided is kept and
 * handed to the next provider of that type, so registration order between workers does not matter.
 */
public final class TriggerRegistry {

  private static final Logger log = LoggerFactory.getLogger(TriggerRegistry.class);

  private final Map<String, TriggerType> types = new LinkedHashMap<>();
  private final Map<String, Trigger> triggers = new LinkedHashMap<>();

  /**
   * Adds a trigger type and hands it every stored trigger of that type. A worker cannot take over a
   * type the engine provides; between workers the last registration wins.
   *
   * @return {@code false} when refused
   */
  public synchronized boolean registerType(TriggerType type) {
    TriggerType existing = types.get(type.id());
    if (existing != null && existing.isEngineType() && !type.isEngineType()) {
      log.warn(
          "Refused trigger type {} from worker {}: the engine provides it",
          type.id(),
          type.ownerWorkerId());
      return false;
    }
    types.put(type.id(), type);
    for (Trigger trigger : List.copyOf(triggers.values())) {
      if (trigger.triggerType().equals(type.id())) {
        arm(type, trigger);
      }
    }
    return true;
  }

  /** Removes a type if the given worker provides it; its triggers stay for a future provider. */
  public synchronized void unregisterType(String typeId, String workerId) {
    TriggerType existing = types.get(typeId);
    if (existing != null && workerId.equals(existing.ownerWorkerId())) {
      types.remove(typeId);
    }
  }

  /**
   * Stores a trigger and arms it if its type is provided.
   *
   * @throws InvalidTriggerException when the provider refuses it (it is then not stored)
   */
  public synchronized void register(Trigger trigger) {
    TriggerType type = types.get(trigger.triggerType());
    Trigger previous = triggers.remove(trigger.id());
    if (previous != null) {
      disarm(previous);
    }
    if (type != null) {
      type.provider().register(trigger);
    } else {
      log.info(
          "Trigger {} waits for trigger type {} to be registered",
          trigger.id(),
          trigger.triggerType());
    }
    triggers.put(trigger.id(), trigger);
  }

  /** Removes a trigger by id (any worker may); returns it if it existed. */
  public synchronized Optional<Trigger> unregister(String triggerId) {
    Trigger trigger = triggers.remove(triggerId);
    if (trigger == null) {
      return Optional.empty();
    }
    disarm(trigger);
    return Optional.of(trigger);
  }

  /**
   * Forgets what a disconnected worker registered: its triggers (disarmed) and the types it
   * provided (other workers' triggers of those types stay stored).
   */
  public synchronized void removeWorker(String workerId) {
    for (Trigger trigger : List.copyOf(triggers.values())) {
      if (workerId.equals(trigger.ownerWorkerId())) {
        triggers.remove(trigger.id());
        disarm(trigger);
      }
    }
    types.values().removeIf(type -> workerId.equals(type.ownerWorkerId()));
  }

  public synchronized List<Trigger> triggersOfType(String typeId) {
    List<Trigger> result = new ArrayList<>();
    for (Trigger trigger : triggers.values()) {
      if (trigger.triggerType().equals(typeId)) {
        result.add(trigger);
      }
    }
    return result;
  }

  public synchronized List<Trigger> allTriggers() {
    return List.copyOf(triggers.values());
  }

  public synchronized List<TriggerType> allTypes() {
    return List.copyOf(types.values());
  }

  public synchronized @Nullable TriggerType type(String typeId) {
    return types.get(typeId);
  }

  private void arm(TriggerType type, Trigger trigger) {
    try {
      type.provider().register(trigger);
    } catch (RuntimeException e) {
      log.warn(
          "Trigger type {} refused stored trigger {}: {}", type.id(), trigger.id(), e.getMessage());
    }
  }

  private void disarm(Trigger trigger) {
    TriggerType type = types.get(trigger.triggerType());
    if (type == null) {
      return;
    }
    try {
      type.provider().unregister(trigger);
    } catch (RuntimeException e) {
      log.warn("Trigger type {} failed to unregister trigger {}", type.id(), trigger.id(), e);
    }
  }

  @Override
  public String toString() {
    return "TriggerRegistry" + Objects.toString(types.keySet());
  }
}
