package dev.iii.internal;

import dev.iii.CallInterceptor;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the application's {@link CallInterceptor}, if any, around each outgoing call; without one it
 * costs nothing. A failing interceptor or completion is logged and the call goes on. Stateless.
 */
public final class CallInterception {

  private static final Logger log = LoggerFactory.getLogger(CallInterception.class);

  /** What the interceptor added to one call, and how to tell it the call ended. */
  public record Intercepted(
      CallInterceptor.Completion completion,
      @Nullable String traceparent,
      @Nullable String baggage) {}

  private static final Intercepted NOT_INTERCEPTED =
      new Intercepted(CallInterceptor.Completion.NONE, null, null);

  private final @Nullable CallInterceptor interceptor;

  public CallInterception(@Nullable CallInterceptor interceptor) {
    this.interceptor = interceptor;
  }

  /** Runs the interceptor on the caller's thread. Never throws. */
  public Intercepted intercept(String functionId) {
    CallInterceptor current = interceptor;
    if (current == null) {
      return NOT_INTERCEPTED;
    }
    Map<String, String> carrier = new HashMap<>(4);
    try {
      CallInterceptor.Completion completion = current.beforeCall(functionId, carrier);
      return new Intercepted(
          completion != null ? completion : CallInterceptor.Completion.NONE,
          carrier.get(CallInterceptor.TRACEPARENT),
          carrier.get(CallInterceptor.BAGGAGE));
    } catch (RuntimeException e) {
      log.warn("Call interceptor failed for {}; the call goes on", functionId, e);
      return NOT_INTERCEPTED;
    }
  }

  /** Tells a completion its call ended. Never throws. */
  public static void complete(CallInterceptor.Completion completion, @Nullable Throwable error) {
    if (completion == CallInterceptor.Completion.NONE) {
      return;
    }
    try {
      completion.completed(error);
    } catch (RuntimeException e) {
      log.warn("Call interceptor completion failed", e);
    }
  }
}
