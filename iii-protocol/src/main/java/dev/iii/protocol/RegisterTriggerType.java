package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** W→E: the sending connection provides triggers of this type. Both fields are required. */
public record RegisterTriggerType(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "description", required = true) String description)
    implements Message {

  public RegisterTriggerType {
    java.util.Objects.requireNonNull(id, "id");
    java.util.Objects.requireNonNull(description, "description");
  }

  @Override
  public String type() {
    return "registertriggertype";
  }
}
