package dev.iii.engine.registry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The implementation behind a trigger type: an engine module, or a worker that registered it. */
public interface TriggerProvider {

  /**
   * Arms a trigger of this type. Must not block.
   *
   * @throws InvalidTriggerException when the trigger's config is not acceptable
   * @throws ProviderUnavailableException when the provider cannot be reached (its connection ends)
   */
  void register(Trigger trigger);

  /**
   * Arms a trigger and completes once the provider confirmed it: for a provider that answers later
   * (a worker's {@code triggerregistrationresult}), the stage waits for that answer. By default the
   * same as {@link #register}.
   *
   * @return completes when accepted, or fails with {@link InvalidTriggerException} when refused
   * @throws ProviderUnavailableException when the provider cannot be reached
   */
  default CompletionStage<Void> registerConfirmed(Trigger trigger) {
    register(trigger);
    return CompletableFuture.completedFuture(null);
  }

  /** Disarms a trigger of this type. Must not block. */
  void unregister(Trigger trigger);
}
