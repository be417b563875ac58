package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** W→E: a trigger-type provider's answer to a forwarded {@code registertrigger}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerRegistrationResult(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "trigger_type", required = true) String triggerType,
    @JsonProperty(value = "function_id", required = true) String functionId,
    @JsonProperty("error") @Nullable ErrorBody error)
    implements Message {

  public TriggerRegistrationResult {
    java.util.Objects.requireNonNull(id, "id");
    java.util.Objects.requireNonNull(triggerType, "triggerType");
    java.util.Objects.requireNonNull(functionId, "functionId");
  }

  @Override
  public String type() {
    return "triggerregistrationresult";
  }
}
