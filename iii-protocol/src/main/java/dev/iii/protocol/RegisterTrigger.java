package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * W→E: bind a function to a trigger; E→W: the same shape, forwarded to the worker that provides the
 * trigger type. {@code config} must be present on the wire (it may be {@code null}).
 *
 * <p>{@code metadata} (engine 0.22+) travels with the binding and is delivered to the function at
 * every fire. {@code namespace} and {@code trigger_namespace} (engine 0.23+) name where the
 * function and the trigger type's provider resolve. The optional fields are omitted when absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterTrigger(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "trigger_type", required = true) String triggerType,
    @JsonProperty(value = "function_id", required = true) String functionId,
    @JsonProperty(value = "config", required = true) @JsonInclude(JsonInclude.Include.ALWAYS)
        JsonNode config,
    @JsonProperty("metadata") @Nullable JsonNode metadata,
    @JsonProperty("namespace") @Nullable String namespace,
    @JsonProperty("trigger_namespace") @Nullable String triggerNamespace)
    implements Message {

  public RegisterTrigger {
    java.util.Objects.requireNonNull(id, "id");
    java.util.Objects.requireNonNull(triggerType, "triggerType");
    java.util.Objects.requireNonNull(functionId, "functionId");
    if (config == null) {
      config = NullNode.getInstance();
    }
    if (metadata != null && (metadata.isNull() || metadata.isMissingNode())) {
      metadata = null;
    }
  }

  public RegisterTrigger(String id, String triggerType, String functionId, JsonNode config) {
    this(id, triggerType, functionId, config, null, null, null);
  }

  public RegisterTrigger(
      String id,
      String triggerType,
      String functionId,
      JsonNode config,
      @Nullable JsonNode metadata) {
    this(id, triggerType, functionId, config, metadata, null, null);
  }

  @Override
  public String type() {
    return "registertrigger";
  }
}
