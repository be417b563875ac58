package dev.iii;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call for {@link IIIClient#trigger(TriggerRequest)}, as the official SDKs' {@code
 * TriggerRequest}: the function, its payload and, optionally, an action, a timeout and
 * per-invocation metadata.
 *
 * <pre>{@code
 * EnqueueResult receipt =
 *     iii.trigger(
 *             TriggerRequest.of("payments::charge", order)
 *                 .withAction(TriggerAction.enqueue("payments"))
 *                 .withMetadata(Map.of("tenant", "acme")),
 *             EnqueueResult.class)
 *         .join();
 * }</pre>
 *
 * @param functionId the function to call
 * @param payload its input: anything Jackson can write
 * @param action how the call is routed ({@code null}: wait for the result)
 * @param timeout how long to wait for the answer ({@code null}: the client's invocation timeout)
 * @param metadata JSON sent next to the payload (anything Jackson can write, usually a {@code
 *     Map}); the handler reads it from {@link Context#metadata()}. {@code null}: none
 */
public record TriggerRequest(
    String functionId,
    @Nullable Object payload,
    @Nullable TriggerAction action,
    @Nullable Duration timeout,
    @Nullable Object metadata) {

  /** Checks the function id and the timeout. */
  public TriggerRequest {
    Objects.requireNonNull(functionId, "functionId");
    if (functionId.isBlank()) {
      throw new IllegalArgumentException("function id is required");
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  /** A call of {@code functionId} with {@code payload} that waits for the result. */
  public static TriggerRequest of(String functionId, @Nullable Object payload) {
    return new TriggerRequest(functionId, payload, null, null, null);
  }

  /** This request with another action. */
  public TriggerRequest withAction(@Nullable TriggerAction action) {
    return new TriggerRequest(functionId, payload, action, timeout, metadata);
  }

  /** This request with its own timeout. */
  public TriggerRequest withTimeout(@Nullable Duration timeout) {
    return new TriggerRequest(functionId, payload, action, timeout, metadata);
  }

  /** This request with per-invocation metadata. */
  public TriggerRequest withMetadata(@Nullable Object metadata) {
    return new TriggerRequest(functionId, payload, action, timeout, metadata);
  }
}
