package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * E→W: {@code {"type":"error","error":{"code","message"}}}, sent by an engine with access control
 * when it refuses the connection (bad or missing credentials), right before it closes the socket.
 * The connection cannot succeed as it is: a client reports the reason and stops, it does not
 * reconnect in a loop.
 */
public record EngineError(@JsonProperty(value = "error", required = true) ErrorBody error)
    implements Message {

  public EngineError {
    java.util.Objects.requireNonNull(error, "error");
  }

  @Override
  public String type() {
    return "error";
  }
}
