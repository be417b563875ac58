package dev.iii;

/**
 * Implements a custom trigger type: the engine hands every trigger of the type to this worker. Both
 * methods run on the handler executor; a thrown exception is reported back to the engine as a
 * refused registration.
 */
public interface TriggerHandler {

  /** Arms a trigger: from now on, call {@code config.functionId()} when it should fire. */
  void registerTrigger(TriggerConfig config) throws Exception;

  /** Disarms a trigger. */
  void unregisterTrigger(TriggerConfig config) throws Exception;
}
