package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** W→E: the sending connection provides triggers of this type. Both fields are required. */
public record RegisterTriggerType(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "description", required = true) String description)
    implements Message {

  @Override
  public String type() {
    return "registertriggertype";
  }
}
