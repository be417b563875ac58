package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * W→E (engine 0.22+): the first message after a reconnect, before the registrations are sent again.
 * It names the previous connection and presents the token the engine gave it in {@link
 * WorkerRegistered}; the engine then retires that connection as if it had closed, so the replay
 * does not race its clean-up. Engines without it log and ignore the message.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reattach(
    @JsonProperty(value = "previous_worker_id", required = true) String previousWorkerId,
    @JsonProperty("reattach_token") @Nullable String reattachToken)
    implements Message {

  public Reattach {
    java.util.Objects.requireNonNull(previousWorkerId, "previousWorkerId");
  }

  @Override
  public String type() {
    return "reattach";
  }
}
