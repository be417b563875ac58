package dev.iii.spring.boot.autoconfigure.observation;

import dev.iii.CallInterceptor;
import dev.iii.Context;
import dev.iii.spring.boot.autoconfigure.metrics.IIIMetrics;
import dev.iii.spring.worker.IIIFunctionEndpoint;
import dev.iii.spring.worker.IIIInvocationObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer observations of iii, with the W3C trace context carried in a {@code Map<String,
 * String>} ({@code traceparent}, {@code baggage}):
 *
 * <ul>
 *   <li>{@code iii.client.call}, a {@link SenderContext} around each call the client makes ({@link
 *       #callInterceptor()}); a tracing bridge injects {@code traceparent} through its setter and
 *       the client sends it with the call;
 *   <li>{@code iii.function.invocation}, a {@link ReceiverContext} around each {@code @IIIFunction}
 *       invocation ({@link #invocationObserver()}); its getter reads the caller's {@code
 *       traceparent} and {@code baggage} from {@link Context#current()}, so a tracing bridge
 *       continues the caller's trace. The observation is current while the method runs.
 * </ul>
 *
 * <p>Low-cardinality key values: {@code iii.function.id} and {@code outcome} ({@code
 * success|client_error|server_error}); high-cardinality: {@code iii.invocation.id}.
 */
public final class IIIObservations {

  /** Name of the client-side observation. */
  public static final String CLIENT_CALL = "iii.client.call";

  /** Name of the worker-side observation. */
  public static final String FUNCTION_INVOCATION = "iii.function.invocation";

  /** Low-cardinality key of the function id. */
  public static final String FUNCTION_ID = "function";

  /** Low-cardinality key of the outcome. */
  public static final String OUTCOME = "outcome";

  /** High-cardinality key of the invocation id. */
  public static final String INVOCATION_ID = "iii.invocation.id";

  private static final String REMOTE_SERVICE = "iii";

  private final ObservationRegistry registry;

  /** Observations recorded in {@code registry}. */
  public IIIObservations(ObservationRegistry registry) {
    this.registry = registry;
  }

  /** Observes every call the client makes and propagates the trace context with it. */
  public CallInterceptor callInterceptor() {
    return (functionId, carrier) -> {
      if (registry.isNoop()) {
        return CallInterceptor.Completion.NONE;
      }
      SenderContext<Map<String, String>> context =
          new SenderContext<>(
              (target, key, value) -> {
                if (target != null) {
                  target.put(key, value);
                }
              });
      context.setCarrier(carrier);
      context.setRemoteServiceName(REMOTE_SERVICE);
      Observation observation =
          Observation.createNotStarted(CLIENT_CALL, () -> context, registry)
              .contextualName(functionId)
              .lowCardinalityKeyValue(FUNCTION_ID, functionId)
              .start();
      return error -> {
        observation.lowCardinalityKeyValue(OUTCOME, IIIMetrics.callOutcome(error));
        if (error != null) {
          observation.error(error);
        }
        observation.stop();
      };
    };
  }

  /** Observes every {@code @IIIFunction} invocation, continuing the caller's trace. */
  public IIIInvocationObserver invocationObserver() {
    return endpoint -> {
      if (registry.isNoop()) {
        return outcome -> {};
      }
      return new InvocationObservation(start(endpoint, Context.current()));
    };
  }

  private Observation start(IIIFunctionEndpoint endpoint, Context invocation) {
    Map<String, String> carrier = new HashMap<>(4);
    if (invocation.traceparent() != null) {
      carrier.put(CallInterceptor.TRACEPARENT, invocation.traceparent());
    }
    if (invocation.baggage() != null) {
      carrier.put(CallInterceptor.BAGGAGE, invocation.baggage());
    }
    ReceiverContext<Map<String, String>> context =
        new ReceiverContext<>((source, key) -> source != null ? source.get(key) : null);
    context.setCarrier(carrier);
    context.setRemoteServiceName(REMOTE_SERVICE);
    Observation observation =
        Observation.createNotStarted(FUNCTION_INVOCATION, () -> context, registry)
            .contextualName(endpoint.id())
            .lowCardinalityKeyValue(FUNCTION_ID, endpoint.id());
    if (invocation.invocationId() != null) {
      observation.highCardinalityKeyValue(INVOCATION_ID, invocation.invocationId());
    }
    return observation.start();
  }

  /** One observed invocation. */
  private static final class InvocationObservation implements IIIInvocationObserver.Completion {

    private final Observation observation;

    InvocationObservation(Observation observation) {
      this.observation = observation;
    }

    @Override
    public void completed(String outcome) {
      completed(outcome, null);
    }

    @Override
    public void completed(String outcome, @Nullable Throwable error) {
      observation.lowCardinalityKeyValue(OUTCOME, outcome);
      if (error != null) {
        observation.error(error);
      }
      observation.stop();
    }

    @Override
    public IIIInvocationObserver.Scope openScope() {
      Observation.Scope scope = observation.openScope();
      return scope::close;
    }
  }
}
