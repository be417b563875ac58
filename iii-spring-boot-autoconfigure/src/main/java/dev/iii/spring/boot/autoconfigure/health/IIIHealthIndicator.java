package dev.iii.spring.boot.autoconfigure.health;

import dev.iii.ConnectionState;
import dev.iii.IIIClient;
import dev.iii.spring.worker.IIIRegisteredFunctions;
import dev.iii.spring.worker.RefusedRegistration;
import dev.iii.spring.worker.TriggerDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the connection to the iii engine, from the client's state alone (no network call, so a
 * health probe never waits on the engine):
 *
 * <ul>
 *   <li>{@code CONNECTED}: {@code UP};
 *   <li>{@code CONNECTING} or {@code RECONNECTING}: {@code UNKNOWN} for the reconnect grace period
 *       after the attempt began, {@code DOWN} after it;
 *   <li>{@code DISCONNECTED} or {@code FAILED}: {@code DOWN}; when the engine refused the worker
 *       (e.g. {@code AUTH_ERROR} from an engine with access control) or reconnection gave up, the
 *       detail {@code error} says why ({@code code: reason}).
 * </ul>
 *
 * <p>Details: {@code url} (without credentials), {@code state}, {@code since} (when the state was
 * entered), {@code workerId} when connected, {@code functions} (registered by this application)
 * when known, and {@code refused}: the functions and triggers the engine refused after startup
 * (refusals during startup fail it), each with {@code function}, {@code method}, {@code trigger}
 * (e.g. {@code http GET /orders}), {@code code} and {@code message}. Refusals do not change the
 * status: the worker still serves its other functions and its calls, and readiness should not take
 * an instance out for a route another worker holds; they are logged at WARN as they come.
 *
 * <p>Belongs in the readiness group, not liveness: restarting the application does not bring the
 * engine back.
 */
public class IIIHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {

  private final IIIClient client;
  private final String url;
  private final Duration reconnectGrace;
  private final @Nullable IIIRegisteredFunctions functions;
  private final Clock clock;
  private final Runnable unsubscribe;
  private volatile StateSince current;

  /**
   * @param client the client whose state is reported
   * @param url the engine address, without credentials
   * @param reconnectGrace how long (re)connecting counts as {@code UNKNOWN} rather than {@code
   *     DOWN}
   * @param functions counts the functions this application registered, if known
   */
  public IIIHealthIndicator(
      IIIClient client,
      String url,
      Duration reconnectGrace,
      @Nullable IIIRegisteredFunctions functions) {
    this(client, url, reconnectGrace, functions, Clock.systemUTC());
  }

  IIIHealthIndicator(
      IIIClient client,
      String url,
      Duration reconnectGrace,
      @Nullable IIIRegisteredFunctions functions,
      Clock clock) {
    super("iii health check failed");
    this.client = client;
    this.url = url;
    this.reconnectGrace = reconnectGrace;
    this.functions = functions;
    this.clock = clock;
    this.current = new StateSince(client.getConnectionState(), clock.instant());
    // State changes are delivered in order on the client's event thread; remembering when each
    // began lets the grace period run from the start of a reconnection, not from the last probe.
    Runnable subscription =
        client.onConnectionStateChange(
            state -> {
              if (state != current.state()) {
                current = new StateSince(state, clock.instant());
              }
            });
    // A test double (e.g. @MockitoBean IIIClient) answers null: nothing to unsubscribe.
    this.unsubscribe = subscription != null ? subscription : () -> {};
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    ConnectionState state = client.getConnectionState();
    if (state == null) {
      // A test double has no connection: say so rather than fail the health endpoint.
      builder.unknown().withDetail("url", url).withDetail("state", "UNKNOWN");
      return;
    }
    StateSince seen = current;
    Instant since = seen.state() == state ? seen.since() : clock.instant();
    switch (state) {
      case CONNECTED -> builder.up();
      case CONNECTING, RECONNECTING -> {
        if (Duration.between(since, clock.instant()).compareTo(reconnectGrace) < 0) {
          builder.unknown();
        } else {
          builder.down();
        }
      }
      case DISCONNECTED, FAILED -> builder.down();
    }
    builder
        .withDetail("url", url)
        .withDetail("state", state.name())
        .withDetail("since", since.toString());
    client.workerId().ifPresent(id -> builder.withDetail("workerId", id));
    if (state == ConnectionState.FAILED) {
      client
          .fatalError()
          .ifPresent(
              error -> builder.withDetail("error", error.code() + ": " + error.errorMessage()));
    }
    if (functions != null) {
      builder.withDetail("functions", functions.registeredFunctionCount());
      List<RefusedRegistration> refused = functions.refusedRegistrations();
      if (!refused.isEmpty()) {
        builder.withDetail("refused", refused.stream().map(IIIHealthIndicator::detail).toList());
      }
    }
  }

  private static Map<String, String> detail(RefusedRegistration refusal) {
    Map<String, String> detail = new LinkedHashMap<>();
    detail.put("function", refusal.functionId());
    detail.put("method", refusal.source());
    TriggerDefinition trigger = refusal.trigger();
    if (trigger != null) {
      detail.put("trigger", trigger.summary());
    }
    detail.put("code", refusal.code());
    detail.put("message", refusal.message());
    return detail;
  }

  /** Stops following the client's state. */
  @Override
  public void close() {
    unsubscribe.run();
  }

  private record StateSince(@Nullable ConnectionState state, Instant since) {}
}
