package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * E→W (engine 0.23+): the engine refused a registration. With {@code function_id} only that
 * function is refused ({@link #FUNCTION_NAMESPACE_CONFLICT}) and the connection stays; without it
 * the whole worker is refused ({@link #WORKER_NAMESPACE_CONFLICT}) and the engine closes the
 * connection. Only {@code code} is required here, so a frame from a newer engine is never dropped
 * for a missing detail.
 *
 * @param code why, e.g. {@code FUNCTION_NAMESPACE_CONFLICT}
 * @param namespace the namespace of the conflict
 * @param workerName the worker name in conflict, for a worker-level refusal
 * @param functionId the function refused, for a function-level refusal
 * @param ownerWorkerId the live worker that holds the name or id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistrationRejected(
    @JsonProperty(value = "code", required = true) String code,
    @JsonProperty("namespace") @Nullable String namespace,
    @JsonProperty("worker_name") @Nullable String workerName,
    @JsonProperty("function_id") @Nullable String functionId,
    @JsonProperty("owner_worker_id") @Nullable String ownerWorkerId)
    implements Message {

  /** Another live worker already runs under this name in this namespace (the socket closes). */
  public static final String WORKER_NAMESPACE_CONFLICT = "WORKER_NAMESPACE_CONFLICT";

  /** Another live worker in this namespace already exports this function id. */
  public static final String FUNCTION_NAMESPACE_CONFLICT = "FUNCTION_NAMESPACE_CONFLICT";

  /** A namespace field was present but blank. */
  public static final String INVALID_NAMESPACE = "INVALID_NAMESPACE";

  public RegistrationRejected {
    java.util.Objects.requireNonNull(code, "code");
  }

  /** A readable reason, naming the function or worker and the owner. */
  public String describe() {
    StringBuilder reason = new StringBuilder(code).append(':');
    if (functionId != null) {
      reason.append(" function '").append(functionId).append('\'');
    } else if (workerName != null) {
      reason.append(" worker name '").append(workerName).append('\'');
    }
    if (namespace != null) {
      reason.append(" in namespace '").append(namespace).append('\'');
    }
    if (ownerWorkerId != null) {
      reason.append(" is held by worker ").append(ownerWorkerId);
    }
    return reason.toString();
  }

  @Override
  public String type() {
    return "registrationrejected";
  }
}
