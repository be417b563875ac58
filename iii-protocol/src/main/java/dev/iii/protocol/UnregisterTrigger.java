package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * W→E: remove a trigger by id; E→W: tell the provider of its type. {@code trigger_type} is optional
 * (the engine looks triggers up by id) and omitted when unknown.
 */
public record UnregisterTrigger(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty("trigger_type") @Nullable String triggerType)
    implements Message {

  public UnregisterTrigger {
    java.util.Objects.requireNonNull(id, "id");
  }

  @Override
  public String type() {
    return "unregistertrigger";
  }
}
