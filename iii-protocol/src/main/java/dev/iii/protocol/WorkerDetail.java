package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One worker in detail, as {@code engine::workers::info} (engine 0.22+) answers: the worker row
 * (with {@code pid}, {@code internal} and {@code latest_metrics}), and what it provides.
 *
 * @param worker the worker
 * @param functions the functions it provides
 * @param triggerTypes the trigger types it provides
 * @param registeredTriggers the triggers it registered
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"worker", "functions", "trigger_types", "registered_triggers"})
public record WorkerDetail(
    @JsonProperty("worker") WorkerInfo worker,
    @JsonProperty("functions") List<FunctionInfo> functions,
    @JsonProperty("trigger_types") List<TriggerTypeInfo> triggerTypes,
    @JsonProperty("registered_triggers") List<RegisteredTriggerInfo> registeredTriggers) {

  /** Copies the lists ({@code null} reads as none). */
  public WorkerDetail {
    functions = functions == null ? List.of() : List.copyOf(functions);
    triggerTypes = triggerTypes == null ? List.of() : List.copyOf(triggerTypes);
    registeredTriggers = registeredTriggers == null ? List.of() : List.copyOf(registeredTriggers);
  }
}
