package dev.iii.spring.boot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of iii (prefix {@code iii}).
 *
 * @param enabled whether to auto-configure iii at all
 * @param url the engine's worker WebSocket address
 * @param workerName the worker name shown by the engine; defaults to {@code
 *     spring.application.name}, then {@code host:pid}
 * @param invocationTimeout how long a call waits for its result
 * @param enableMetricsReporting whether to report the worker's gauges (heap, CPU…) to the engine
 * @param failFast whether startup fails when the engine cannot be reached within {@code
 *     connect-timeout} (otherwise the client keeps retrying in the background)
 * @param connectTimeout how long a fail-fast start waits for the connection
 * @param reconnection how the client reconnects after losing the engine
 * @param telemetry what the worker tells the engine about itself
 * @param worker the annotated functions this application provides
 * @param embedded an engine started inside the application
 * @param health how the {@code iii} health indicator judges the connection
 * @param observations Micrometer observations of calls and invocations
 * @param transport which WebSocket client carries the engine connection
 */
@ConfigurationProperties("iii")
public record IIIProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("ws://localhost:49134") URI url,
    @Nullable String workerName,
    @DefaultValue("30s") Duration invocationTimeout,
    @DefaultValue("true") boolean enableMetricsReporting,
    @DefaultValue("false") boolean failFast,
    @DefaultValue("10s") Duration connectTimeout,
    @DefaultValue Reconnection reconnection,
    @DefaultValue Telemetry telemetry,
    @DefaultValue Worker worker,
    @DefaultValue Embedded embedded,
    @DefaultValue Health health,
    @DefaultValue Observations observations,
    @DefaultValue("auto") Transport transport) {

  /** Which WebSocket client carries the engine connection and the channels. */
  public enum Transport {
    /**
     * Spring WebFlux's {@code WebSocketClient} when the application defines one as a bean (so its
     * TLS, proxy and observability settings apply), else Reactor Netty directly.
     */
    AUTO,
    /** Reactor Netty directly: the client's own, fastest transport. */
    REACTOR_NETTY,
    /**
     * Spring WebFlux's {@code WebSocketClient}: the application's bean, else a new Reactor Netty
     * based one. Needs {@code spring-webflux}.
     */
    WEBFLUX
  }

  /**
   * Reconnection with exponential backoff and jitter.
   *
   * @param initialDelay delay before the first retry
   * @param maxDelay upper bound of the delay
   * @param multiplier growth of the delay per attempt
   * @param jitter random spread of each delay, 0 to 1
   * @param maxRetries attempts before giving up; -1 retries forever
   */
  public record Reconnection(
      @DefaultValue("1s") Duration initialDelay,
      @DefaultValue("30s") Duration maxDelay,
      @DefaultValue("2.0") double multiplier,
      @DefaultValue("0.3") double jitter,
      @DefaultValue("-1") int maxRetries) {}

  /**
   * What the worker tells the engine about itself.
   *
   * @param language the user's language; the JVM locale when unset
   * @param projectName the project the worker belongs to
   * @param framework the hosting framework
   */
  public record Telemetry(
      @Nullable String language,
      @Nullable String projectName,
      @DefaultValue("spring-boot") String framework) {}

  /**
   * The functions this application provides ({@code @IIIFunction} bean methods).
   *
   * @param enabled whether to register them; {@code false} makes a client-only application
   * @param maxConcurrency invocations run at once; 0 picks {@code max(8, 2 × CPUs)}
   * @param maxQueued invocations that may wait for a free slot; more are answered {@code
   *     unavailable} at once
   * @param shutdownTimeout how long shutdown waits for running invocations after unregistering
   */
  public record Worker(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("0") int maxConcurrency,
      @DefaultValue("10000") int maxQueued,
      @DefaultValue("25s") Duration shutdownTimeout) {}

  /**
   * An iii engine started inside the application, before the client connects; the client then
   * connects to it whatever {@code iii.url} says.
   *
   * @param enabled whether to start it
   * @param host the address it binds
   * @param port its worker port; 0 picks a free port
   * @param httpPort its HTTP (REST API) port; 0 picks a free port
   */
  public record Embedded(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("127.0.0.1") String host,
      @DefaultValue("49134") int port,
      @DefaultValue("3111") int httpPort) {}

  /**
   * The {@code iii} health indicator.
   *
   * @param reconnectGrace how long a (re)connecting client is reported {@code UNKNOWN} before it is
   *     reported {@code DOWN}
   */
  public record Health(@DefaultValue("30s") Duration reconnectGrace) {}

  /**
   * Micrometer observations ({@code iii.client.call}, {@code iii.function.invocation}) when the
   * application has an {@code ObservationRegistry}; they propagate the W3C {@code traceparent}.
   *
   * @param enabled whether to observe calls and invocations
   */
  public record Observations(@DefaultValue("true") boolean enabled) {}
}
