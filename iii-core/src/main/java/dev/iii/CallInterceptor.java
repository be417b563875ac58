package dev.iii;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Watches every outgoing call of an {@link III} client ({@code call} and {@code callVoid}), e.g. to
 * time it or to propagate a trace. Install one with {@link
 * InitOptions.Builder#callInterceptor(CallInterceptor)}; without one the client does no extra work.
 *
 * <p>{@link #beforeCall} runs on the caller's thread before the {@code invokefunction} message is
 * built. It may put W3C trace context into {@code carrier} under {@link #TRACEPARENT} and {@link
 * #BAGGAGE}; the client sends those values with the message. The returned {@link Completion} is
 * called exactly once when the call ends: with {@code null} when the result arrived, or with the
 * failure (an {@link IIIException} for errors, timeouts, connection loss and shutdown). For {@code
 * callVoid} the call ends when the message is sent or queued. The completion runs on the client's
 * callback thread; exceptions thrown by an interceptor or a completion are logged and ignored.
 */
@FunctionalInterface
public interface CallInterceptor {

  /** The carrier key of the W3C {@code traceparent} sent with the call. */
  String TRACEPARENT = "traceparent";

  /** The carrier key of the W3C {@code baggage} sent with the call. */
  String BAGGAGE = "baggage";

  /**
   * A call to {@code functionId} is about to be sent.
   *
   * @param functionId the function called
   * @param carrier mutable trace context; {@link #TRACEPARENT} and {@link #BAGGAGE} are sent
   * @return called once when the call ends
   */
  Completion beforeCall(String functionId, Map<String, String> carrier);

  /**
   * Runs {@code first}, then {@code second}, on each call; their completions in reverse order.
   * Either may be {@code null}.
   */
  static @Nullable CallInterceptor compose(
      @Nullable CallInterceptor first, @Nullable CallInterceptor second) {
    if (first == null) {
      return second;
    }
    if (second == null) {
      return first;
    }
    return (functionId, carrier) -> {
      Completion a = first.beforeCall(functionId, carrier);
      Completion b = second.beforeCall(functionId, carrier);
      return error -> {
        try {
          b.completed(error);
        } finally {
          a.completed(error);
        }
      };
    };
  }

  /** The end of one intercepted call. */
  @FunctionalInterface
  interface Completion {

    /** A completion that does nothing. */
    Completion NONE = error -> {};

    /**
     * The call ended.
     *
     * @param error {@code null} on success, else why the call failed
     */
    void completed(@Nullable Throwable error);
  }
}
