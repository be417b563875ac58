package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Call a function. W→E without {@code invocation_id} is fire-and-forget; E→W always carries one,
 * and the handler must answer it with an {@link InvocationResult}. {@code data} must be present on
 * the wire (it may be {@code null}); it and {@code metadata} are kept as JSON text ({@link
 * RawJson}), so the engine forwards them without reading them.
 *
 * <p>{@code metadata} (engine 0.22+) is a sidecar delivered to the handler next to {@code data};
 * {@code namespace} (engine 0.23+) names the namespace the function resolves in. Both are omitted
 * when absent, so older peers see the 0.9 shape.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvokeFunction(
    @JsonProperty("invocation_id") @Nullable String invocationId,
    @JsonProperty(value = "function_id", required = true) String functionId,
    @JsonProperty(value = "data", required = true) @JsonInclude(JsonInclude.Include.ALWAYS)
        RawJson data,
    @JsonProperty("traceparent") @Nullable String traceparent,
    @JsonProperty("baggage") @Nullable String baggage,
    @JsonProperty("action") @Nullable InvocationAction action,
    @JsonProperty("metadata") @Nullable RawJson metadata,
    @JsonProperty("namespace") @Nullable String namespace)
    implements Message {

  public InvokeFunction {
    invocationId = InvocationIds.normalize(invocationId);
    java.util.Objects.requireNonNull(functionId, "function_id");
    if (data == null) {
      data = RawJson.NULL;
    }
    if (metadata != null && metadata.isNull()) {
      metadata = null;
    }
  }

  public InvokeFunction(
      @Nullable String invocationId,
      String functionId,
      RawJson data,
      @Nullable String traceparent,
      @Nullable String baggage,
      @Nullable InvocationAction action) {
    this(invocationId, functionId, data, traceparent, baggage, action, null, null);
  }

  public InvokeFunction(@Nullable String invocationId, String functionId, RawJson data) {
    this(invocationId, functionId, data, null, null, null, null, null);
  }

  /** This call with other data. */
  public InvokeFunction withData(RawJson newData) {
    return new InvokeFunction(
        invocationId, functionId, newData, traceparent, baggage, action, metadata, namespace);
  }

  /** Whether the caller expects an answer: it gave an id and did not ask for {@code void}. */
  public boolean expectsResult() {
    return invocationId != null && (action == null || !action.isVoid());
  }

  @Override
  public String type() {
    return "invokefunction";
  }
}
