package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of an invocation, correlated by {@code invocation_id}. When both are present, {@code
 * error} wins over {@code result}. The result is kept as JSON text ({@link RawJson}); JSON {@code
 * null} and an absent result are both {@code null} here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvocationResult(
    @JsonProperty(value = "invocation_id", required = true) String invocationId,
    @JsonProperty(value = "function_id", required = true) String functionId,
    @JsonProperty("result") @Nullable RawJson result,
    @JsonProperty("error") @Nullable ErrorBody error,
    @JsonProperty("traceparent") @Nullable String traceparent,
    @JsonProperty("baggage") @Nullable String baggage)
    implements Message {

  public InvocationResult {
    invocationId = java.util.Objects.requireNonNull(InvocationIds.normalize(invocationId));
    java.util.Objects.requireNonNull(functionId, "function_id");
    result = result == null || result.isNull() ? null : result;
  }

  /** A successful result ({@code result} may be {@code null}: the function returned nothing). */
  public static InvocationResult success(
      String invocationId, String functionId, @Nullable RawJson result) {
    return new InvocationResult(invocationId, functionId, result, null, null, null);
  }

  /** A failed result. */
  public static InvocationResult failure(String invocationId, String functionId, ErrorBody error) {
    return new InvocationResult(invocationId, functionId, null, error, null, null);
  }

  @Override
  public String type() {
    return "invocationresult";
  }
}
