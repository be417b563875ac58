package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * W→E: bind a function to a trigger; E→W: the same shape, forwarded to the worker that provides the
 * trigger type. {@code config} must be present on the wire (it may be {@code null}).
 */
public record RegisterTrigger(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "trigger_type", required = true) String triggerType,
    @JsonProperty(value = "function_id", required = true) String functionId,
    @JsonProperty(value = "config", required = true) @JsonInclude(JsonInclude.Include.ALWAYS)
        JsonNode config)
    implements Message {

  public RegisterTrigger {
    java.util.Objects.requireNonNull(id, "id");
    java.util.Objects.requireNonNull(triggerType, "triggerType");
    java.util.Objects.requireNonNull(functionId, "functionId");
    if (config == null) {
      config = NullNode.getInstance();
    }
  }

  @Override
  public String type() {
    return "registertrigger";
  }
}
