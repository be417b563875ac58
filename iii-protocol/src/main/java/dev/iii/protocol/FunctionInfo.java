package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A function registered with the engine, as {@code engine::functions::list} reports it.
 *
 * @param functionId the id
 * @param description what it does
 * @param requestFormat the declared input format (JSON as plain Java values)
 * @param responseFormat the declared output format
 * @param metadata free-form metadata
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FunctionInfo(
    @JsonProperty("function_id") String functionId,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("request_format") @Nullable Object requestFormat,
    @JsonProperty("response_format") @Nullable Object responseFormat,
    @JsonProperty("metadata") @Nullable Object metadata) {}
