package dev.iii.engine.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trigger types and triggers. A trigger is either <em>live</em> (handed to its type's provider; the
 * only ones that fire and are listed) or <em>pending</em>: its type is not provided (yet, or any
 * more), or its provider refused it later. Pending triggers are handed to the type's next provider,
 * so the order in which workers connect does not matter.
 *
 * <p>Concurrency: the maps are guarded by this object's monitor, which is never held while a
 * provider is called (providers reach the transport and module code). Each change is made under the
 * monitor first and the provider is called after, in that order on the calling thread; so each
 * connection's own changes reach providers in order, while two threads changing the same trigger id
 * at the same moment may reach its provider in either order.
 */
public final class TriggerRegistry {

  private static final Logger log = LoggerFactory.getLogger(TriggerRegistry.class);

  /** What became of a registration. */
  public enum Outcome {
    /** The provider has the trigger: it is live. */
    REGISTERED,
    /** No provider yet (or it is unreachable): the trigger waits for one. */
    DEFERRED
  }

  /** A trigger taken out of the live map, and the type that has it ({@code null}: none). */
  private record Armed(Trigger trigger, @Nullable TriggerType type) {}

  private final Map<String, TriggerType> types = new LinkedHashMap<>();
  private final Map<String, Trigger> live = new LinkedHashMap<>();
  private final Map<String, Trigger> pending = new LinkedHashMap<>();

  /**
   * Adds a trigger type, hands it the live triggers of that type (a new provider replaces the old
   * one) and activates the pending ones. A worker cannot take over a type the engine provides;
   * between workers the last registration wins.
   *
   * @return {@code false} when refused
   */
  public boolean registerType(TriggerType type) {
    List<Trigger> replay = new ArrayList<>();
    synchronized (this) {
      TriggerType existing = types.get(type.id());
      if (existing != null && existing.isEngineType() && !type.isEngineType()) {
        log.warn(
            "Refused trigger type {} from worker {}: the engine provides it",
            type.id(),
            type.ownerWorkerId());
        return false;
      }
      types.put(type.id(), type);
      for (Trigger trigger : live.values()) {
        if (trigger.triggerType().equals(type.id())) {
          replay.add(trigger);
        }
      }
      for (Trigger trigger : List.copyOf(pending.values())) {
        if (trigger.triggerType().equals(type.id())) {
          pending.remove(trigger.id());
          live.put(trigger.id(), trigger);
          replay.add(trigger);
        }
      }
    }
    log.info("[REGISTERED] Trigger Type {}", type.id());
    for (Trigger trigger : replay) {
      try {
        type.provider().register(trigger);
      } catch (RuntimeException e) {
        log.warn(
            "Trigger type {} refused stored trigger {}: {}; it waits for the type's next provider",
            type.id(),
            trigger.id(),
            e.getMessage());
        park(trigger);
      }
    }
    return true;
  }

  /** Removes a type if the given worker provides it; its triggers wait for a future provider. */
  public void unregisterType(String typeId, String workerId) {
    synchronized (this) {
      TriggerType existing = types.get(typeId);
      if (existing != null && workerId.equals(existing.ownerWorkerId())) {
        types.remove(typeId);
        orphan(typeId);
      }
    }
  }

  /**
   * Stores a trigger and hands it to its type's provider, replacing (and disarming) a trigger of
   * the same id. Without a provider the trigger waits for one.
   *
   * @throws InvalidTriggerException when the provider refuses it (it is then not stored)
   */
  public Outcome register(Trigger trigger) {
    TriggerType type;
    Armed previous;
    synchronized (this) {
      type = types.get(trigger.triggerType());
      previous = take(trigger.id());
      if (type == null) {
        pending.put(trigger.id(), trigger);
      } else {
        live.put(trigger.id(), trigger);
      }
    }
    if (previous != null) {
      disarm(previous);
    }
    if (type == null) {
      logPending(trigger);
      return Outcome.DEFERRED;
    }
    try {
      type.provider().register(trigger);
      return Outcome.REGISTERED;
    } catch (InvalidTriggerException e) {
      synchronized (this) {
        live.remove(trigger.id(), trigger);
      }
      throw e;
    } catch (ProviderUnavailableException e) {
      log.warn(
          "Trigger provider of {} unreachable; trigger {} waits for its next provider",
          trigger.triggerType(),
          trigger.id());
      park(trigger);
      return Outcome.DEFERRED;
    }
  }

  /**
   * Like {@link #register}, but the trigger becomes live only once the provider confirmed it (a
   * provider worker answers with {@code triggerregistrationresult}); used for triggers no worker
   * owns. An existing trigger of the same id is not replaced.
   *
   * @return the outcome, or a stage failed with {@link InvalidTriggerException} when refused
   */
  public CompletableFuture<Outcome> registerConfirmed(Trigger trigger) {
    TriggerType type;
    synchronized (this) {
      type = types.get(trigger.triggerType());
      if (type == null) {
        pending.put(trigger.id(), trigger);
      }
    }
    if (type == null) {
      logPending(trigger);
      return CompletableFuture.completedFuture(Outcome.DEFERRED);
    }
    CompletionStage<Void> confirmed;
    try {
      confirmed = type.provider().registerConfirmed(trigger);
    } catch (RuntimeException e) {
      confirmed = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    confirmed.whenComplete(
        (ignored, error) -> {
          Throwable cause = unwrap(error);
          if (cause == null) {
            outcome.complete(commitConfirmed(trigger));
          } else if (cause instanceof ProviderUnavailableException) {
            park(trigger);
            outcome.complete(Outcome.DEFERRED);
          } else {
            outcome.completeExceptionally(cause);
          }
        });
    return outcome;
  }

  private Outcome commitConfirmed(Trigger trigger) {
    TriggerType current;
    synchronized (this) {
      current = types.get(trigger.triggerType());
      if (current == null) {
        pending.put(trigger.id(), trigger);
        return Outcome.DEFERRED;
      }
      live.put(trigger.id(), trigger);
    }
    return Outcome.REGISTERED;
  }

  /**
   * Removes a trigger by id (any worker may), live or pending, and disarms it.
   *
   * @return the removed trigger, if it existed
   */
  public Optional<Trigger> unregister(String triggerId) {
    Armed removed;
    Trigger parked;
    synchronized (this) {
      parked = pending.remove(triggerId);
      removed = take(triggerId);
    }
    if (removed != null) {
      disarm(removed);
      return Optional.of(removed.trigger());
    }
    return Optional.ofNullable(parked);
  }

  /**
   * Moves a live trigger to pending after its provider refused it late; a no-op when the trigger
   * was replaced or removed meanwhile.
   *
   * @return whether it was moved
   */
  public boolean park(Trigger trigger) {
    synchronized (this) {
      if (!live.remove(trigger.id(), trigger)) {
        return false;
      }
      pending.put(trigger.id(), trigger);
      return true;
    }
  }

  /**
   * Forgets what a disconnected worker registered: its triggers (live ones disarmed, pending ones
   * dropped) and the types it provided; other workers' triggers of those types wait for the next
   * provider.
   */
  public void removeWorker(String workerId) {
    List<Armed> disarm = new ArrayList<>();
    synchronized (this) {
      for (Trigger trigger : List.copyOf(live.values())) {
        if (workerId.equals(trigger.ownerWorkerId())) {
          Armed armed = take(trigger.id());
          TriggerType type = armed == null ? null : armed.type();
          if (armed != null && type != null && !workerId.equals(type.ownerWorkerId())) {
            disarm.add(armed);
          }
        }
      }
      pending.values().removeIf(trigger -> workerId.equals(trigger.ownerWorkerId()));
      for (TriggerType type : List.copyOf(types.values())) {
        if (workerId.equals(type.ownerWorkerId())) {
          types.remove(type.id());
          orphan(type.id());
        }
      }
    }
    disarm.forEach(TriggerRegistry::disarm);
  }

  /** The live triggers of a type (those that fire). */
  public synchronized List<Trigger> triggersOfType(String typeId) {
    List<Trigger> result = new ArrayList<>();
    for (Trigger trigger : live.values()) {
      if (trigger.triggerType().equals(typeId)) {
        result.add(trigger);
      }
    }
    return result;
  }

  /** Every live trigger. */
  public synchronized List<Trigger> allTriggers() {
    return List.copyOf(live.values());
  }

  /** Every trigger that waits for a provider. */
  public synchronized List<Trigger> pendingTriggers() {
    return List.copyOf(pending.values());
  }

  /** A live trigger by id. */
  public synchronized Optional<Trigger> trigger(String triggerId) {
    return Optional.ofNullable(live.get(triggerId));
  }

  public synchronized List<TriggerType> allTypes() {
    return List.copyOf(types.values());
  }

  public synchronized @Nullable TriggerType type(String typeId) {
    return types.get(typeId);
  }

  /** Removes a live trigger, with the type that has it; {@code null} when not live. */
  private @Nullable Armed take(String triggerId) {
    Trigger trigger = live.remove(triggerId);
    return trigger == null ? null : new Armed(trigger, types.get(trigger.triggerType()));
  }

  /** Parks the live triggers of a type that just lost its provider. Under the monitor. */
  private void orphan(String typeId) {
    for (Trigger trigger : List.copyOf(live.values())) {
      if (trigger.triggerType().equals(typeId)) {
        live.remove(trigger.id());
        pending.put(trigger.id(), trigger);
        log.warn(
            "[DISABLED] Trigger {} (type {}, function {}) is disabled: its trigger type was"
                + " unregistered. It will be re-registered automatically when the trigger type"
                + " returns.",
            trigger.id(),
            trigger.triggerType(),
            trigger.functionId());
      }
    }
  }

  private static void disarm(Armed armed) {
    TriggerType type = armed.type();
    if (type == null) {
      return;
    }
    try {
      type.provider().unregister(armed.trigger());
    } catch (RuntimeException e) {
      log.warn(
          "Trigger type {} failed to unregister trigger {}", type.id(), armed.trigger().id(), e);
    }
  }

  private static void logPending(Trigger trigger) {
    log.warn(
        "[PENDING] Trigger {} (function {}) was NOT activated: trigger type {} is not registered."
            + " It will be registered automatically when the trigger type becomes available.",
        trigger.id(),
        trigger.functionId(),
        trigger.triggerType());
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public String toString() {
    return "TriggerRegistry" + Objects.toString(allTypes().stream().map(TriggerType::id).toList());
  }
}
