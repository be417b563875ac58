package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * W→E: register a function. With {@code invocation} the engine calls an external HTTP endpoint;
 * without it, the sending connection handles invocations. No acknowledgement is sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterFunction(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("request_format") @Nullable JsonNode requestFormat,
    @JsonProperty("response_format") @Nullable JsonNode responseFormat,
    @JsonProperty("metadata") @Nullable JsonNode metadata,
    @JsonProperty("invocation") @Nullable JsonNode invocation)
    implements Message {

  public RegisterFunction {
    java.util.Objects.requireNonNull(id, "id");
    requestFormat = requestFormat == null || requestFormat.isNull() ? null : requestFormat;
    responseFormat = responseFormat == null || responseFormat.isNull() ? null : responseFormat;
    metadata = metadata == null || metadata.isNull() ? null : metadata;
    invocation = invocation == null || invocation.isNull() ? null : invocation;
  }

  public RegisterFunction(String id, @Nullable String description, @Nullable JsonNode metadata) {
    this(id, description, null, null, metadata, null);
  }

  @Override
  public String type() {
    return "registerfunction";
  }
}
