package dev.iii.spring.boot.autoconfigure.metrics;

import dev.iii.CallInterceptor;
import dev.iii.IIIException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Records what the application does through iii: timers of the functions it runs and of the calls
 * it makes. Used by the worker support when Micrometer is present; tags are bounded (function ids
 * come from code, outcomes from a short list), never invocation ids or payload values.
 *
 * <ul>
 *   <li>timer {@code iii.function.invocation}, tags {@code function}, {@code outcome};
 *   <li>timer {@code iii.client.call}, tags {@code function}, {@code outcome} (recorded by {@link
 *       #callInterceptor()}, which the auto-configuration installs in the client);
 *   <li>gauge {@code iii.worker.invocations.in-flight}.
 * </ul>
 */
public class IIIMetrics {

  /** The function completed normally. */
  public static final String OUTCOME_SUCCESS = "success";

  /** The function failed because of its input (e.g. {@code invalid_argument}). */
  public static final String OUTCOME_CLIENT_ERROR = "client_error";

  /** The function failed for any other reason. */
  public static final String OUTCOME_SERVER_ERROR = "server_error";

  private final MeterRegistry registry;

  /** Metrics recorded in {@code registry}. */
  public IIIMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Starts timing an invocation or a call. */
  public Timer.Sample start() {
    return Timer.start(registry);
  }

  /** Records an invocation of one of this application's functions, timed from {@code sample}. */
  public void recordInvocation(String function, String outcome, Timer.Sample sample) {
    sample.stop(
        Timer.builder("iii.function.invocation")
            .description("Invocations of this application's iii functions")
            .tag("function", function)
            .tag("outcome", outcome)
            .register(registry));
  }

  /** Records a call this application made to a function, timed from {@code sample}. */
  public void recordCall(String function, String outcome, Timer.Sample sample) {
    sample.stop(
        Timer.builder("iii.client.call")
            .description("Calls this application made to iii functions")
            .tag("function", function)
            .tag("outcome", outcome)
            .register(registry));
  }

  /**
   * A {@link CallInterceptor} that times every call the client makes as {@code iii.client.call}.
   */
  public CallInterceptor callInterceptor() {
    return (functionId, carrier) -> {
      Timer.Sample sample = start();
      return error -> recordCall(functionId, callOutcome(error), sample);
    };
  }

  /**
   * The outcome of a call that ended with {@code error}: {@code success} without one, {@code
   * client_error} for {@code invalid_argument} and {@code function_not_found}, else {@code
   * server_error}.
   */
  public static String callOutcome(@Nullable Throwable error) {
    if (error == null) {
      return OUTCOME_SUCCESS;
    }
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof IIIException iii
        && ("invalid_argument".equals(iii.code())
            || IIIException.FUNCTION_NOT_FOUND.equals(iii.code()))) {
      return OUTCOME_CLIENT_ERROR;
    }
    return OUTCOME_SERVER_ERROR;
  }
}
