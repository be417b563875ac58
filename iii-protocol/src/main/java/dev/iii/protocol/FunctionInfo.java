package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * A function registered with the engine, as {@code engine::functions::list} reports it. Read from
 * both shapes: v0.9.0 rows carry the formats, v0.22 rows carry {@code worker_name} (formats moved
 * to {@link FunctionDetail}), v0.23 rows add {@code namespace}. Written as the superset, so SDKs of
 * either era find what they expect; {@code namespace} only when known.
 *
 * @param functionId the id
 * @param workerName the name of the worker that provides it (v0.22+)
 * @param description what it does
 * @param requestFormat the declared input format (JSON as plain Java values; v0.9 rows)
 * @param responseFormat the declared output format (v0.9 rows)
 * @param metadata free-form metadata
 * @param namespace the namespace it is registered in (v0.23+)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({
  "function_id",
  "namespace",
  "worker_name",
  "description",
  "request_format",
  "response_format",
  "metadata"
})
public record FunctionInfo(
    @JsonProperty("function_id") String functionId,
    @JsonProperty("worker_name") @Nullable String workerName,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("request_format") @Nullable Object requestFormat,
    @JsonProperty("response_format") @Nullable Object responseFormat,
    @JsonProperty("metadata") @Nullable Object metadata,
    @JsonProperty("namespace") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable String namespace) {

  /** A v0.9.0-era row: no worker name, no namespace. */
  public FunctionInfo(
      String functionId,
      @Nullable String description,
      @Nullable Object requestFormat,
      @Nullable Object responseFormat,
      @Nullable Object metadata) {
    this(functionId, null, description, requestFormat, responseFormat, metadata, null);
  }
}
