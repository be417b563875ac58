package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** W→E: remove a function by id. No acknowledgement is sent. */
public record UnregisterFunction(@JsonProperty(value = "id", required = true) String id)
    implements Message {

  public UnregisterFunction {
    java.util.Objects.requireNonNull(id, "id");
  }

  @Override
  public String type() {
    return "unregisterfunction";
  }
}
