package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * W→E: the sending connection provides triggers of this type. {@code id} and {@code description}
 * are required. The optional JSON Schemas (engine 0.22+) document a binding's {@code config}
 * ({@code trigger_request_format}) and what a bound function receives ({@code
 * call_request_format}); {@code namespace} (engine 0.23+) is the namespace the type is served in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterTriggerType(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "description", required = true) String description,
    @JsonProperty("trigger_request_format") @Nullable JsonNode triggerRequestFormat,
    @JsonProperty("call_request_format") @Nullable JsonNode callRequestFormat,
    @JsonProperty("namespace") @Nullable String namespace)
    implements Message {

  public RegisterTriggerType {
    java.util.Objects.requireNonNull(id, "id");
    java.util.Objects.requireNonNull(description, "description");
    triggerRequestFormat =
        triggerRequestFormat == null || triggerRequestFormat.isNull() ? null : triggerRequestFormat;
    callRequestFormat =
        callRequestFormat == null || callRequestFormat.isNull() ? null : callRequestFormat;
  }

  public RegisterTriggerType(String id, String description) {
    this(id, description, null, null, null);
  }

  @Override
  public String type() {
    return "registertriggertype";
  }
}
