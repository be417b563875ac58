package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One function in detail, as {@code engine::functions::info} (engine 0.22+) answers: its schemas
 * and the triggers bound to it. Absent optional fields are omitted, as the official engine does.
 *
 * @param functionId the id
 * @param namespace the namespace it resolved in (v0.23+)
 * @param workerName the name of the worker that provides it
 * @param description what it does
 * @param requestSchema the JSON Schema of its input, as registered ({@code request_format})
 * @param responseSchema the JSON Schema of its output ({@code response_format})
 * @param metadata free-form metadata
 * @param registeredTriggers the triggers bound to it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "function_id",
  "namespace",
  "worker_name",
  "description",
  "request_schema",
  "response_schema",
  "metadata",
  "registered_triggers"
})
public record FunctionDetail(
    @JsonProperty("function_id") String functionId,
    @JsonProperty("namespace") @Nullable String namespace,
    @JsonProperty("worker_name") @Nullable String workerName,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("request_schema") @Nullable Object requestSchema,
    @JsonProperty("response_schema") @Nullable Object responseSchema,
    @JsonProperty("metadata") @Nullable Object metadata,
    @JsonProperty("registered_triggers") @JsonInclude(JsonInclude.Include.ALWAYS)
        List<TriggerBinding> registeredTriggers) {

  /** Copies {@code registeredTriggers} ({@code null} reads as none). */
  public FunctionDetail {
    registeredTriggers = registeredTriggers == null ? List.of() : List.copyOf(registeredTriggers);
  }

  /**
   * A trigger bound to the function.
   *
   * @param id the trigger id
   * @param triggerType its type
   * @param config its configuration (JSON as plain Java values)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({"id", "trigger_type", "config"})
  public record TriggerBinding(
      @JsonProperty("id") String id,
      @JsonProperty("trigger_type") String triggerType,
      @JsonProperty("config") @Nullable Object config) {}
}
