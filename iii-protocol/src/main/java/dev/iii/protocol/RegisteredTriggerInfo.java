package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * A registered trigger (a function bound to a trigger type), as {@code
 * engine::registered-triggers::list} and {@code ::info} report it (engine 0.22+). The list row
 * carries a short {@code config_summary}; the detail adds {@code metadata}, the trigger type and
 * the function. Fields a shape lacks are {@code null} and omitted when written.
 *
 * @param id the trigger id
 * @param triggerType its type
 * @param functionId the function it calls
 * @param workerName the name of the worker that registered it
 * @param config its configuration (JSON as plain Java values)
 * @param configSummary the configuration, shortened for display (list rows; do not parse)
 * @param metadata the metadata delivered with every fire (detail only)
 * @param trigger the trigger type in detail, when still registered (detail only)
 * @param function the function in detail, when still registered (detail only)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "id",
  "trigger_type",
  "function_id",
  "worker_name",
  "config",
  "config_summary",
  "metadata",
  "trigger",
  "function"
})
public record RegisteredTriggerInfo(
    @JsonProperty("id") String id,
    @JsonProperty("trigger_type") String triggerType,
    @JsonProperty("function_id") String functionId,
    @JsonProperty("worker_name") @Nullable String workerName,
    @JsonProperty("config") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Object config,
    @JsonProperty("config_summary") @Nullable String configSummary,
    @JsonProperty("metadata") @Nullable Object metadata,
    @JsonProperty("trigger") @Nullable TriggerTypeInfo trigger,
    @JsonProperty("function") @Nullable FunctionDetail function) {}
