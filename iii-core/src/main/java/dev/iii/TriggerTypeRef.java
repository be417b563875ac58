package dev.iii;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A trigger type this worker provides, as {@link IIIClient#registerTriggerType} hands it back (the
 * official SDKs' {@code TriggerTypeRef}): binds functions to the type and stops providing it.
 */
public interface TriggerTypeRef {

  /** The trigger type id. */
  String id();

  /** Binds a function to a trigger of this type; see {@link IIIClient#registerTrigger}. */
  default Trigger registerTrigger(String functionId, @Nullable Object config) {
    return registerTrigger(functionId, config, null);
  }

  /**
   * Binds a function to a trigger of this type, with metadata delivered to the function at every
   * fire; see {@link IIIClient#registerTrigger(String, String, Object, Map)}.
   */
  Trigger registerTrigger(
      String functionId, @Nullable Object config, @Nullable Map<String, ?> metadata);

  /**
   * Registers a function and binds it to a trigger of this type at once. Unregistering the returned
   * function removes the trigger too; its {@link FunctionRef#status()} fails when the engine
   * refuses the function or the trigger.
   */
  default FunctionRef registerFunction(
      String functionId, FunctionHandler handler, @Nullable Object config) {
    return registerFunction(functionId, handler, config, null);
  }

  /** Registers a function and binds it to a trigger of this type with metadata. */
  FunctionRef registerFunction(
      String functionId,
      FunctionHandler handler,
      @Nullable Object config,
      @Nullable Map<String, ?> metadata);

  /** Stops providing the type; see {@link IIIClient#unregisterTriggerType(String)}. */
  void unregister();
}
