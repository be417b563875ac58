package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * E→W: the first message on every connection, carrying the id the engine gave this worker and
 * (engine 0.22+) the secret that lets the worker retire this connection with a {@link Reattach}
 * after it reconnects.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerRegistered(
    @JsonProperty(value = "worker_id", required = true) String workerId,
    @JsonProperty("reattach_token") @Nullable String reattachToken)
    implements Message {

  public WorkerRegistered {
    java.util.Objects.requireNonNull(workerId, "workerId");
  }

  public WorkerRegistered(String workerId) {
    this(workerId, null);
  }

  @Override
  public String type() {
    return "workerregistered";
  }
}
