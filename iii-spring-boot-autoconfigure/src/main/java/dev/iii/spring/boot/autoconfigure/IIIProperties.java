package dev.iii.spring.boot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

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
 * @param workerDescription what this worker does, shown as {@code description} in the engine's
 *     worker listings
 * @param headers HTTP headers sent with the WebSocket handshake, e.g. {@code
 *     iii.headers.Authorization=Bearer …} for an engine with access control (its auth function
 *     reads them); use brackets for names with dots ({@code iii.headers[X-Api.Key]})
 * @param queryParams query parameters added to the engine address for the handshake; an engine's
 *     auth function reads them as {@code query_params}
 * @param pingInterval how often the client pings the engine so that a dead connection shows; 0
 *     never
 * @param idleTimeout how long the connection may stay without any frame from the engine before the
 *     client drops it and reconnects; 0 never
 * @param handshakeTimeout how long the WebSocket handshake may take before the attempt fails and is
 *     retried
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
    @DefaultValue("auto") Transport transport,
    @Nullable String workerDescription,
    @DefaultValue Map<String, String> headers,
    @DefaultValue Map<String, String> queryParams,
    @DefaultValue("20s") Duration pingInterval,
    @DefaultValue("60s") Duration idleTimeout,
    @DefaultValue("10s") Duration handshakeTimeout) {

  /** Treats absent maps as empty. */
  public IIIProperties {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    queryParams = queryParams == null ? Map.of() : Map.copyOf(queryParams);
  }

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
   * @param grace how long after a reconnect a call answered function_not_found is sent again, so
   *     that calls made while the engine was away wait for their worker to register again; 0 never
   */
  public record Reconnection(
      @DefaultValue("1s") Duration initialDelay,
      @DefaultValue("30s") Duration maxDelay,
      @DefaultValue("2.0") double multiplier,
      @DefaultValue("0.3") double jitter,
      @DefaultValue("-1") int maxRetries,
      @DefaultValue("10s") Duration grace) {}

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
   * @param maxConcurrency invocations of one function that run at once, unless the function sets
   *     its own; each function has its own limit and queue, so a slow one never delays the others.
   *     0 picks max(8, 2 × CPUs)
   * @param maxQueued invocations of one function that may wait for a free slot, unless the function
   *     sets its own; more are answered unavailable at once
   * @param shutdownTimeout how long shutdown waits, after unregistering, for the invocations
   *     already received (running and waiting) to finish; only those arriving later are refused
   * @param registrationTimeout how long startup waits for the engine to confirm the functions and
   *     triggers it registered (a round trip after them); startup fails if the engine refused any
   *     (a route conflict, a bad cron expression…). Not waited for while the engine is unreachable
   * @param schemas the JSON Schemas functions are registered with
   * @param functions limits of single functions by id, overriding their annotation; use brackets,
   *     as ids contain colons or dots: iii.worker.functions[orders::create].concurrency=4
   */
  public record Worker(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("0") int maxConcurrency,
      @DefaultValue("10000") int maxQueued,
      @DefaultValue("25s") Duration shutdownTimeout,
      @DefaultValue("5s") Duration registrationTimeout,
      @DefaultValue Schemas schemas,
      @DefaultValue Map<String, FunctionLimits> functions) {

    /** Treats an absent map as empty. */
    public Worker {
      functions = functions == null ? Map.of() : Map.copyOf(functions);
    }
  }

  /**
   * One function's limits; unset ones keep the function's annotation or the worker's defaults.
   *
   * @param concurrency invocations of this function that run at once
   * @param queueCapacity invocations of this function that may wait for a free slot; more are
   *     answered unavailable at once
   */
  public record FunctionLimits(@Nullable Integer concurrency, @Nullable Integer queueCapacity) {}

  /**
   * JSON Schemas of the functions' payloads and results ({@code request_format}, {@code
   * response_format}), which the engine shows in {@code engine::functions::info} and the console.
   *
   * @param enabled whether to describe each {@code @IIIFunction}'s payload parameter and return
   *     type (formats given in the annotation are always sent)
   */
  public record Schemas(@DefaultValue("true") boolean enabled) {}

  /**
   * An iii engine started inside the application, before the client connects; the client then
   * connects to it whatever {@code iii.url} says.
   *
   * @param enabled whether to start it
   * @param host the address it binds
   * @param port its worker port; 0 picks a free port
   * @param httpPort its HTTP (REST API) port; 0 picks a free port
   * @param limits what one client may cost it; unset ones keep the engine's defaults
   */
  public record Embedded(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("127.0.0.1") String host,
      @DefaultValue("49134") int port,
      @DefaultValue("3111") int httpPort,
      @DefaultValue EmbeddedLimits limits) {}

  /**
   * The embedded engine's bounds; each one left unset keeps the engine's default.
   *
   * @param maxMessageSize the largest worker message, whole or in one frame (64MB)
   * @param maxOutboundSize what may wait to be written to one socket (128MB): past half of it calls
   *     to that worker are refused, past all of it the peer is disconnected
   * @param handshakeTimeout how long a new connection may take to send its request headers (10s)
   * @param idleTimeout how long a WebSocket may stay silent before it is closed; it is pinged at a
   *     third of it (90s)
   * @param invocationTimeout how long the engine keeps an unanswered invocation (5m)
   * @param maxRequestBodySize the largest HTTP request body; larger ones are answered 413 (16MB)
   * @param maxRequestHeaderSize the largest HTTP request line and headers; larger ones are answered
   *     431 (16KB)
   * @param httpIdleTimeout how long a keep-alive HTTP connection may wait for its next request, and
   *     the longest pause in a request body (60s)
   * @param maxTelemetryLogSize the SDK log records the engine keeps (8MB)
   */
  public record EmbeddedLimits(
      @Nullable DataSize maxMessageSize,
      @Nullable DataSize maxOutboundSize,
      @Nullable Duration handshakeTimeout,
      @Nullable Duration idleTimeout,
      @Nullable Duration invocationTimeout,
      @Nullable DataSize maxRequestBodySize,
      @Nullable DataSize maxRequestHeaderSize,
      @Nullable Duration httpIdleTimeout,
      @Nullable DataSize maxTelemetryLogSize) {}

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
