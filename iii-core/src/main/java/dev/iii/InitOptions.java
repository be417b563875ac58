package dev.iii;

import dev.iii.transport.WebSocketTransport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Options of an {@link III} client. Build with {@link #builder()}; every option has a default.
 *
 * @param workerName the name shown in {@code engine::workers::list} ({@code hostname:pid})
 * @param enableMetricsReporting whether to report this worker's gauges (heap, RSS, CPU, uptime) to
 *     the engine, which shows them as {@code latest_metrics} in worker listings (true)
 * @param metricsReportingInterval how often those gauges are sent (60 s)
 * @param invocationTimeout how long {@code call} waits for a result unless told otherwise (30 s)
 * @param reconnection reconnect backoff ({@link ReconnectionConfig#DEFAULT})
 * @param telemetry analytics details sent with the worker metadata
 * @param maxQueueSize calls kept while disconnected; the oldest is dropped beyond it (1000)
 * @param jsonMapper converts payloads to and from Java objects (a default {@code JsonMapper})
 * @param handlerExecutor runs function and trigger handlers ({@code null}: daemon threads owned by
 *     the client, at most {@code maxConcurrentInvocations} of them running handlers)
 * @param callInterceptor watches every outgoing call and may add trace context to it ({@code null}:
 *     none)
 * @param transport opens the WebSockets ({@code null}: {@link
 *     dev.iii.transport.ReactorNettyTransport} on Reactor Netty's shared event loops)
 * @param maxConcurrentInvocations how many invocations of this worker's functions may run at once
 *     (128); a handler that returns a future frees its slot at once
 * @param maxQueuedInvocations how many more may wait for a slot (10,000); beyond that the caller is
 *     answered {@code unavailable} at once
 * @param shutdownTimeout how long the shutdown hook of {@link III#awaitShutdown()} lets running and
 *     waiting invocations finish (30 s)
 * @param workerDescription what this worker does, shown as {@code description} in worker listings
 *     ({@code null}: none)
 * @param headers HTTP headers sent with the WebSocket handshake to the engine, e.g. {@code
 *     Authorization} for an engine with access control, whose auth function reads them (none)
 * @param queryParams query parameters added to the engine address for the handshake (none); the
 *     engine's auth function reads them as {@code query_params}
 * @param pingInterval how often the client pings the engine so that a dead connection shows (20 s,
 *     as the official SDKs); zero: never
 * @param idleTimeout how long the connection may go without any frame from the engine before the
 *     client drops it and reconnects (60 s, as the official SDKs); zero: never
 * @param handshakeTimeout how long the WebSocket handshake may take before the attempt fails and is
 *     retried (10 s, as the official SDKs)
 * @param reconnectGrace after an outage, how long a call answered {@code function_not_found} is
 *     sent again (10 s; zero: never). It covers calls made while disconnected (from the connection
 *     that sends them) and calls made within this time after a reconnect: the worker that provides
 *     the function may come back after this client. Such a call is re-sent with a short backoff
 *     (the engine did not invoke anything) until it gets another answer, the grace ends or the
 *     call's own timeout expires; then it fails with the engine's answer. On a connection that has
 *     been up longer, or was the first, an unknown function fails at once.
 */
public record InitOptions(
    String workerName,
    boolean enableMetricsReporting,
    Duration metricsReportingInterval,
    Duration invocationTimeout,
    ReconnectionConfig reconnection,
    TelemetryOptions telemetry,
    int maxQueueSize,
    JsonMapper jsonMapper,
    @Nullable Executor handlerExecutor,
    @Nullable CallInterceptor callInterceptor,
    @Nullable WebSocketTransport transport,
    int maxConcurrentInvocations,
    int maxQueuedInvocations,
    Duration shutdownTimeout,
    @Nullable String workerDescription,
    Map<String, String> headers,
    Map<String, String> queryParams,
    Duration pingInterval,
    Duration idleTimeout,
    Duration handshakeTimeout,
    Duration reconnectGrace) {

  /** Checks every option; copies the maps. */
  public InitOptions {
    Objects.requireNonNull(workerName, "workerName");
    Objects.requireNonNull(metricsReportingInterval, "metricsReportingInterval");
    Objects.requireNonNull(invocationTimeout, "invocationTimeout");
    Objects.requireNonNull(reconnection, "reconnection");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(jsonMapper, "jsonMapper");
    if (invocationTimeout.isNegative() || invocationTimeout.isZero()) {
      throw new IllegalArgumentException("invocationTimeout must be positive");
    }
    if (metricsReportingInterval.isNegative() || metricsReportingInterval.isZero()) {
      throw new IllegalArgumentException("metricsReportingInterval must be positive");
    }
    if (maxQueueSize < 0) {
      throw new IllegalArgumentException("maxQueueSize must not be negative");
    }
    if (maxConcurrentInvocations < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentInvocations must be at least 1, was " + maxConcurrentInvocations);
    }
    if (maxQueuedInvocations < 0) {
      throw new IllegalArgumentException(
          "maxQueuedInvocations must not be negative, was " + maxQueuedInvocations);
    }
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    if (shutdownTimeout.isNegative()) {
      throw new IllegalArgumentException("shutdownTimeout must not be negative");
    }
    headers = copy(headers, "headers");
    queryParams = copy(queryParams, "queryParams");
    requireNotNegative(pingInterval, "pingInterval");
    requireNotNegative(idleTimeout, "idleTimeout");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive");
    }
    requireNotNegative(reconnectGrace, "reconnectGrace");
  }

  private static Map<String, String> copy(Map<String, String> map, String what) {
    Objects.requireNonNull(map, what);
    Map<String, String> copy = new LinkedHashMap<>();
    map.forEach(
        (name, value) -> {
          if (name == null || name.isBlank() || value == null) {
            throw new IllegalArgumentException(what + " need a name and a value: " + name);
          }
          copy.put(name, value);
        });
    return Collections.unmodifiableMap(copy);
  }

  private static void requireNotNegative(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative");
    }
  }

  /** All defaults. */
  public static InitOptions defaults() {
    return builder().build();
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.workerName = workerName;
    builder.enableMetricsReporting = enableMetricsReporting;
    builder.metricsReportingInterval = metricsReportingInterval;
    builder.invocationTimeout = invocationTimeout;
    builder.reconnection = reconnection;
    builder.telemetry = telemetry;
    builder.maxQueueSize = maxQueueSize;
    builder.jsonMapper = jsonMapper;
    builder.handlerExecutor = handlerExecutor;
    builder.callInterceptor = callInterceptor;
    builder.transport = transport;
    builder.maxConcurrentInvocations = maxConcurrentInvocations;
    builder.maxQueuedInvocations = maxQueuedInvocations;
    builder.shutdownTimeout = shutdownTimeout;
    builder.workerDescription = workerDescription;
    builder.headers = new LinkedHashMap<>(headers);
    builder.queryParams = new LinkedHashMap<>(queryParams);
    builder.pingInterval = pingInterval;
    builder.idleTimeout = idleTimeout;
    builder.handshakeTimeout = handshakeTimeout;
    builder.reconnectGrace = reconnectGrace;
    return builder;
  }

  /** {@code hostname:pid}, as the official SDKs name their workers. */
  static String defaultWorkerName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "localhost";
    }
    return host + ":" + ProcessHandle.current().pid();
  }

  /** Builds {@link InitOptions}. */
  public static final class Builder {

    private @Nullable String workerName;
    private boolean enableMetricsReporting = true;
    private Duration metricsReportingInterval = Duration.ofSeconds(60);
    private Duration invocationTimeout = Duration.ofSeconds(30);
    private ReconnectionConfig reconnection = ReconnectionConfig.DEFAULT;
    private TelemetryOptions telemetry = TelemetryOptions.NONE;
    private int maxQueueSize = 1000;
    private @Nullable JsonMapper jsonMapper;
    private @Nullable Executor handlerExecutor;
    private @Nullable CallInterceptor callInterceptor;
    private @Nullable WebSocketTransport transport;
    private int maxConcurrentInvocations = 128;
    private int maxQueuedInvocations = 10_000;
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private @Nullable String workerDescription;
    private Map<String, String> headers = new LinkedHashMap<>();
    private Map<String, String> queryParams = new LinkedHashMap<>();
    private Duration pingInterval = Duration.ofSeconds(20);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration reconnectGrace = Duration.ofSeconds(10);

    private Builder() {}

    /** See {@link InitOptions#workerName()} ({@code hostname:pid}). */
    public Builder workerName(String workerName) {
      this.workerName = workerName;
      return this;
    }

    /** See {@link InitOptions#enableMetricsReporting()} (true). */
    public Builder enableMetricsReporting(boolean enable) {
      this.enableMetricsReporting = enable;
      return this;
    }

    /** See {@link InitOptions#metricsReportingInterval()} (60 s). */
    public Builder metricsReportingInterval(Duration interval) {
      this.metricsReportingInterval = interval;
      return this;
    }

    /** See {@link InitOptions#invocationTimeout()} (30 s). */
    public Builder invocationTimeout(Duration timeout) {
      this.invocationTimeout = timeout;
      return this;
    }

    /** See {@link InitOptions#reconnection()} ({@link ReconnectionConfig#DEFAULT}). */
    public Builder reconnection(ReconnectionConfig reconnection) {
      this.reconnection = reconnection;
      return this;
    }

    /** See {@link InitOptions#telemetry()}. */
    public Builder telemetry(TelemetryOptions telemetry) {
      this.telemetry = telemetry;
      return this;
    }

    /** See {@link InitOptions#maxQueueSize()} (1000). */
    public Builder maxQueueSize(int maxQueueSize) {
      this.maxQueueSize = maxQueueSize;
      return this;
    }

    /** See {@link InitOptions#jsonMapper()} (a default {@code JsonMapper}). */
    public Builder jsonMapper(JsonMapper jsonMapper) {
      this.jsonMapper = jsonMapper;
      return this;
    }

    public Builder handlerExecutor(Executor executor) {
      this.handlerExecutor = executor;
      return this;
    }

    /**
     * Watches every outgoing call (replacing any interceptor set before; combine several with
     * {@link CallInterceptor#compose}). {@code null} removes it.
     */
    public Builder callInterceptor(@Nullable CallInterceptor interceptor) {
      this.callInterceptor = interceptor;
      return this;
    }

    /** Adds an interceptor that runs after the one already set, if any. */
    public Builder addCallInterceptor(CallInterceptor interceptor) {
      this.callInterceptor =
          CallInterceptor.compose(this.callInterceptor, Objects.requireNonNull(interceptor));
      return this;
    }

    /** Opens the WebSockets; see {@link InitOptions#transport()}. */
    public Builder transport(WebSocketTransport transport) {
      this.transport = transport;
      return this;
    }

    /** See {@link InitOptions#maxConcurrentInvocations()} (128). */
    public Builder maxConcurrentInvocations(int max) {
      this.maxConcurrentInvocations = max;
      return this;
    }

    /** See {@link InitOptions#maxQueuedInvocations()} (10,000). */
    public Builder maxQueuedInvocations(int max) {
      this.maxQueuedInvocations = max;
      return this;
    }

    /** See {@link InitOptions#shutdownTimeout()} (30 s). */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = timeout;
      return this;
    }

    /** See {@link InitOptions#workerDescription()} (none). */
    public Builder workerDescription(@Nullable String description) {
      this.workerDescription = description;
      return this;
    }

    /** Replaces the handshake headers; see {@link InitOptions#headers()}. */
    public Builder headers(Map<String, String> headers) {
      this.headers = new LinkedHashMap<>(headers);
      return this;
    }

    /** Adds one handshake header, e.g. {@code header("Authorization", "Bearer " + token)}. */
    public Builder header(String name, String value) {
      this.headers.put(name, value);
      return this;
    }

    /** Replaces the handshake query parameters; see {@link InitOptions#queryParams()}. */
    public Builder queryParams(Map<String, String> queryParams) {
      this.queryParams = new LinkedHashMap<>(queryParams);
      return this;
    }

    /** Adds one handshake query parameter. */
    public Builder queryParam(String name, String value) {
      this.queryParams.put(name, value);
      return this;
    }

    /** See {@link InitOptions#pingInterval()} (20 s; zero: never). */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = interval;
      return this;
    }

    /** See {@link InitOptions#idleTimeout()} (60 s; zero: never). */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /** See {@link InitOptions#handshakeTimeout()} (10 s). */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = timeout;
      return this;
    }

    /** See {@link InitOptions#reconnectGrace()} (10 s; zero: never). */
    public Builder reconnectGrace(Duration grace) {
      this.reconnectGrace = grace;
      return this;
    }

    /** The options. */
    public InitOptions build() {
      return new InitOptions(
          workerName != null ? workerName : defaultWorkerName(),
          enableMetricsReporting,
          metricsReportingInterval,
          invocationTimeout,
          reconnection,
          telemetry,
          maxQueueSize,
          jsonMapper != null ? jsonMapper : JsonMapper.builder().build(),
          handlerExecutor,
          callInterceptor,
          transport,
          maxConcurrentInvocations,
          maxQueuedInvocations,
          shutdownTimeout,
          workerDescription,
          headers,
          queryParams,
          pingInterval,
          idleTimeout,
          handshakeTimeout,
          reconnectGrace);
    }
  }
}
