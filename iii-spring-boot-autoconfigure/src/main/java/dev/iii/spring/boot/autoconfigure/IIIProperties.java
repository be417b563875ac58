package dev.iii.spring.boot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of iii (prefix {@code iii}).
 *
 * <p>The {@code @param} texts below are the descriptions IDEs show for each property (Spring Boot's
 * configuration metadata), so they are plain sentences: no Javadoc markup, and each one makes sense
 * on its own. {@code ConfigurationMetadataTests} checks that.
 *
 * @param enabled Whether to auto-configure iii: the client, the annotated functions, the embedded
 *     engine, health and metrics.
 * @param url WebSocket address of the iii engine's worker port, such as ws://localhost:49134.
 *     Ignored when the embedded engine is enabled.
 * @param workerName Name of this worker as the engine and its console show it. Defaults to
 *     spring.application.name, then to host:pid.
 * @param invocationTimeout How long a call to a function made through the client waits for its
 *     result.
 * @param enableMetricsReporting Whether to report this worker's gauges (heap, CPU and the like) to
 *     the engine.
 * @param failFast Whether startup fails when the engine cannot be reached within the connect
 *     timeout. When false, the client keeps retrying in the background.
 * @param connectTimeout How long a fail-fast startup waits for the connection to the engine.
 * @param reconnection How the client reconnects after losing the engine.
 * @param telemetry What this worker tells the engine about itself.
 * @param worker The annotated functions this application provides.
 * @param embedded An iii engine started inside this application.
 * @param health How the iii health indicator judges the connection to the engine.
 * @param observations Micrometer observations of calls and invocations.
 * @param transport Which WebSocket client carries the connection to the engine.
 * @param workerDescription What this worker does, shown as its description in the engine's worker
 *     listings.
 * @param headers HTTP headers sent with the WebSocket handshake, for example
 *     iii.headers.Authorization=Bearer ... for an engine with access control (its auth function
 *     reads them). Use brackets for names that contain dots: iii.headers[X-Api.Key].
 * @param queryParams Query parameters added to the engine address for the WebSocket handshake. An
 *     engine's auth function reads them as query_params.
 * @param pingInterval How often the client pings the engine so that a dead connection is noticed. 0
 *     never pings.
 * @param idleTimeout How long the connection may stay without any frame from the engine before the
 *     client drops it and reconnects. 0 never drops it.
 * @param handshakeTimeout How long the WebSocket handshake may take before the attempt fails and is
 *     retried.
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
   * @param initialDelay Delay before the first reconnection attempt.
   * @param maxDelay Longest delay between two reconnection attempts.
   * @param multiplier Factor by which the delay between reconnection attempts grows after each
   *     attempt.
   * @param jitter Random spread of each reconnection delay, from 0 (none) to 1.
   * @param maxRetries Reconnection attempts before the client gives up. -1 retries forever.
   * @param grace How long after a reconnection a call answered function_not_found is sent again, so
   *     that calls made while the engine was away wait for their worker to register again. 0 never
   *     sends them again.
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
   * @param language Language reported to the engine for this worker. Defaults to the JVM's locale.
   * @param projectName Name of the project this worker belongs to, reported to the engine.
   * @param framework Framework hosting this worker, reported to the engine.
   */
  public record Telemetry(
      @Nullable String language,
      @Nullable String projectName,
      @DefaultValue("spring-boot") String framework) {}

  /**
   * The functions this application provides ({@code @IIIFunction} bean methods).
   *
   * @param enabled Whether to register the annotated functions with the engine. When false, the
   *     application only calls functions (the methods are still validated at startup).
   * @param maxConcurrency Largest number of invocations of one function that run at once, unless
   *     the function sets its own. Each function has its own limit and queue, so a slow one never
   *     delays the others. 0 picks the larger of 8 and twice the number of CPUs.
   * @param maxQueued Largest number of invocations of one function that may wait for a free slot,
   *     unless the function sets its own. More are answered "unavailable" at once.
   * @param shutdownTimeout How long shutdown waits, after the functions are unregistered, for the
   *     invocations already received (running and waiting) to finish. Only those arriving later are
   *     refused.
   * @param registrationTimeout How long startup waits for the engine to confirm the functions and
   *     triggers registered. Startup fails if the engine refused any (a route conflict, a bad cron
   *     expression and the like). Not waited for while the engine is unreachable.
   * @param schemas The JSON Schemas the functions are registered with.
   * @param http How functions answer HTTP requests that fail.
   * @param functions Limits of single functions by id, overriding their annotation. Use brackets,
   *     as ids contain colons or dots: iii.worker.functions[orders::create].concurrency=4.
   */
  public record Worker(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("0") int maxConcurrency,
      @DefaultValue("10000") int maxQueued,
      @DefaultValue("25s") Duration shutdownTimeout,
      @DefaultValue("5s") Duration registrationTimeout,
      @DefaultValue Schemas schemas,
      @DefaultValue Http http,
      @DefaultValue Map<String, FunctionLimits> functions) {

    /** Treats an absent map as empty. */
    public Worker {
      functions = functions == null ? Map.of() : Map.copyOf(functions);
    }
  }

  /**
   * Error responses of functions with an HTTP trigger, like Spring Boot's server.error.* settings.
   * The status comes from the exception (ResponseStatusException, @ResponseStatus, or an
   * IIIException code); an error id in the body is logged with the failure.
   *
   * @param includeMessage When error bodies include the exception's message: never (the default;
   *     only reasons written for the client, such as a ResponseStatusException's, are shown) or
   *     always.
   * @param includeException Whether error bodies include the exception's class name.
   * @param problemDetails Whether error bodies are RFC 9457 problem details
   *     (application/problem+json) rather than the plain error, status and error_id object.
   */
  public record Http(
      @DefaultValue("never") IncludeMessage includeMessage,
      @DefaultValue("false") boolean includeException,
      @DefaultValue("false") boolean problemDetails) {}

  /** When an HTTP error body includes the exception's message. */
  public enum IncludeMessage {
    /** Never: only reasons written for the client. */
    NEVER,
    /** Always: every exception's message, which may reveal internals. */
    ALWAYS
  }

  /**
   * One function's limits; unset ones keep the function's annotation or the worker's defaults.
   *
   * @param concurrency Largest number of invocations of this function that run at once.
   * @param queueCapacity Largest number of invocations of this function that may wait for a free
   *     slot. More are answered "unavailable" at once.
   */
  public record FunctionLimits(@Nullable Integer concurrency, @Nullable Integer queueCapacity) {}

  /**
   * JSON Schemas of the functions' payloads and results ({@code request_format}, {@code
   * response_format}), which the engine shows in {@code engine::functions::info} and the console.
   *
   * @param enabled Whether to generate the JSON Schema of each annotated function's payload
   *     parameter and return type. Formats given in the annotation are always sent.
   */
  public record Schemas(@DefaultValue("true") boolean enabled) {}

  /**
   * An iii engine started inside the application, before the client connects; the client then
   * connects to it whatever {@code iii.url} says.
   *
   * @param enabled Whether to start an iii engine inside this application and connect to it.
   * @param host Address the embedded engine binds its ports to.
   * @param port Worker (WebSocket) port of the embedded engine. 0 picks a free port.
   * @param httpPort HTTP port of the embedded engine, serving the HTTP-triggered functions. 0 picks
   *     a free port.
   * @param streamPort Stream WebSocket port of the embedded engine, where browsers and other
   *     clients join streams and receive their changes (the official engine's iii-stream port). 0
   *     picks a free port.
   * @param limits What one client may cost the embedded engine. Limits left unset keep the engine's
   *     defaults, or the values of the engine config file.
   * @param config Engine config file in the official iii engine's format (a workers list), for
   *     example classpath:iii-config.yaml. It chooses which engine workers run and their settings,
   *     such as the queue worker and its queues. Only the workers it lists run. The host and ports
   *     above still apply. Without it, the engine runs its default workers: HTTP, cron, HTTP
   *     functions, state, stream and pub/sub.
   */
  public record Embedded(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("127.0.0.1") String host,
      @DefaultValue("49134") int port,
      @DefaultValue("3111") int httpPort,
      @DefaultValue("3112") int streamPort,
      @DefaultValue EmbeddedLimits limits,
      @Nullable Resource config) {}

  /**
   * The embedded engine's bounds; each one left unset keeps the engine's default.
   *
   * @param maxMessageSize Largest worker message the embedded engine accepts, whole or in one
   *     frame. Defaults to 64MB.
   * @param maxOutboundSize Data that may wait to be written to one worker's socket. Past half of
   *     it, calls to that worker are refused; past all of it, the worker is disconnected. Defaults
   *     to 128MB.
   * @param handshakeTimeout How long a new connection to the embedded engine may take to send its
   *     request headers. Defaults to 10s.
   * @param idleTimeout How long a worker's WebSocket may stay silent before the embedded engine
   *     closes it. The engine pings it after a third of that time. Defaults to 90s.
   * @param invocationTimeout How long the embedded engine keeps an unanswered invocation. Defaults
   *     to 5m.
   * @param maxRequestBodySize Largest HTTP request body the embedded engine accepts. Larger ones
   *     are answered 413. Defaults to 16MB.
   * @param maxRequestHeaderSize Largest HTTP request line and headers the embedded engine accepts.
   *     Larger ones are answered 431. Defaults to 16KB.
   * @param httpIdleTimeout How long a keep-alive HTTP connection may wait for its next request, and
   *     the longest pause allowed within a request body. Defaults to 60s.
   * @param maxTelemetryLogSize Size of the SDK log records the embedded engine keeps. Defaults to
   *     8MB.
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
   * @param reconnectGrace How long the health indicator reports a connecting or reconnecting client
   *     as UNKNOWN before reporting it DOWN.
   */
  public record Health(@DefaultValue("30s") Duration reconnectGrace) {}

  /**
   * Micrometer observations ({@code iii.client.call}, {@code iii.function.invocation}) when the
   * application has an {@code ObservationRegistry}; they propagate the W3C {@code traceparent}.
   *
   * @param enabled Whether to record Micrometer observations of calls and invocations.
   */
  public record Observations(@DefaultValue("true") boolean enabled) {}
}
