package dev.iii;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The JSON Schemas a trigger type is registered with (the official SDKs' {@code
 * trigger_request_format} and {@code call_request_format}); the engine shows them in {@code
 * engine::triggers::info}.
 *
 * @param triggerRequestFormat the schema of a trigger's {@code config} ({@code null}: none)
 * @param callRequestFormat the schema of what a bound function receives when the trigger fires
 *     ({@code null}: none)
 */
public record RegisterTriggerTypeOptions(
    @Nullable JsonNode triggerRequestFormat, @Nullable JsonNode callRequestFormat) {

  /** No schemas. */
  public static final RegisterTriggerTypeOptions NONE = new RegisterTriggerTypeOptions(null, null);

  /** Copies the schemas, so later changes to them do not leak in. */
  public RegisterTriggerTypeOptions {
    triggerRequestFormat = RegisterFunctionOptions.copy(triggerRequestFormat);
    callRequestFormat = RegisterFunctionOptions.copy(callRequestFormat);
  }

  /** Schemas given as plain Java values ({@code Map}, {@code List}, strings…). */
  public static RegisterTriggerTypeOptions of(
      @Nullable Map<String, ?> triggerRequestFormat, @Nullable Map<String, ?> callRequestFormat) {
    return new RegisterTriggerTypeOptions(
        RegisterFunctionOptions.schema(triggerRequestFormat),
        RegisterFunctionOptions.schema(callRequestFormat));
  }
}
