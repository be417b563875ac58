package dev.iii.engine.registry;

/** The implementation behind a trigger type: an engine module, or a worker that registered it. */
public interface TriggerProvider {

  /**
   * Arms a trigger of this type.
   *
   * @throws InvalidTriggerException when the trigger's config is not acceptable
   */
  void register(Trigger trigger);

  /** Disarms a trigger of this type. */
  void unregister(Trigger trigger);
}
