package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * W→E: stop providing a trigger type. Sent by the official SDKs; engine 0.8.3 cannot decode it and
 * keeps the type until the provider disconnects.
 */
public record UnregisterTriggerType(@JsonProperty(value = "id", required = true) String id)
    implements Message {

  public UnregisterTriggerType {
    java.util.Objects.requireNonNull(id, "id");
  }

  @Override
  public String type() {
    return "unregistertriggertype";
  }
}
