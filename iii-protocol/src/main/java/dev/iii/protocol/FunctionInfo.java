package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * A function registered with the engine, as {@code engine::functions::list} reports it. Written as
 * the official engine does: these five keys in this order, each present ({@code null} when unset).
 *
 * @param functionId the id
 * @param description what it does
 * @param requestFormat the declared input format (JSON as plain Java values)
 * @param responseFormat the declared output format
 * @param metadata free-form metadata
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"function_id", "description", "request_format", "response_format", "metadata"})
public record FunctionInfo(
    @JsonProperty("function_id") String functionId,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("request_format") @Nullable Object requestFormat,
    @JsonProperty("response_format") @Nullable Object responseFormat,
    @JsonProperty("metadata") @Nullable Object metadata) {}
