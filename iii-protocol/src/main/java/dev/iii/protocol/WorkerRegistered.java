package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** E→W: the first message on every connection, carrying the id the engine gave this worker. */
public record WorkerRegistered(@JsonProperty(value = "worker_id", required = true) String workerId)
    implements Message {

  public WorkerRegistered {
    java.util.Objects.requireNonNull(workerId, "workerId");
  }

  @Override
  public String type() {
    return "workerregistered";
  }
}
