package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * A trigger type, as {@code engine::triggers::list} (the summary: id, worker name, description) and
 * {@code engine::triggers::info} (the detail: schemas and how many triggers use it) report it
 * (engine 0.22+). Fields the summary lacks are {@code null} and omitted when written.
 *
 * @param id the trigger type id, e.g. {@code http}
 * @param namespace the namespace its provider serves (v0.23+)
 * @param workerName the name of the worker that provides it
 * @param description what it does
 * @param configurationSchema JSON Schema of a binding's {@code config} (detail only)
 * @param requestSchema JSON Schema of what a bound function receives (detail only)
 * @param responseSchema JSON Schema of what a bound function must return, if fixed (detail only)
 * @param instanceCount how many triggers of this type are registered (detail only)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "id",
  "namespace",
  "worker_name",
  "description",
  "configuration_schema",
  "request_schema",
  "response_schema",
  "instance_count"
})
public record TriggerTypeInfo(
    @JsonProperty("id") String id,
    @JsonProperty("namespace") @Nullable String namespace,
    @JsonProperty("worker_name") @Nullable String workerName,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("configuration_schema") @Nullable Object configurationSchema,
    @JsonProperty("request_schema") @Nullable Object requestSchema,
    @JsonProperty("response_schema") @Nullable Object responseSchema,
    @JsonProperty("instance_count") @Nullable Integer instanceCount) {

  /** A list row: id, worker name and description. */
  public static TriggerTypeInfo summary(String id, String workerName, String description) {
    return new TriggerTypeInfo(id, null, workerName, description, null, null, null, null);
  }
}
