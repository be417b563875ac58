package dev.iii.engine.config;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The REST API ({@code iii-http} worker; {@code modules::api::RestApiModule} in 0.9): serves {@code
 * http} triggers.
 *
 * @param host the address to bind; {@code null} (the default, and a config file without {@code
 *     host}) binds the engine's host
 * @param port the HTTP port (3111; 0 picks a free port)
 * @param defaultTimeout how long a request may wait for its response headers before a 504 (30 s);
 *     also each middleware call's limit
 * @param cors allowed origins and methods; {@code null} allows everything (permissive)
 * @param concurrencyRequestLimit requests served at once; more wait for a slot (1024)
 * @param middleware functions called before every route's, ordered by priority (stable); only the
 *     {@code preHandler} phase runs
 */
public record RestApiConfig(
    @Nullable String host,
    int port,
    Duration defaultTimeout,
    @Nullable CorsConfig cors,
    int concurrencyRequestLimit,
    List<MiddlewareConfig> middleware) {

  /** The official engine's REST API port. */
  public static final int DEFAULT_PORT = 3111;

  public RestApiConfig {
    EngineConfig.checkPort(port);
    Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    if (concurrencyRequestLimit < 1) {
      throw new IllegalArgumentException("concurrency_request_limit must be at least 1");
    }
    // As the official engine normalises its config: by priority, equal ones in listed order.
    middleware =
        middleware.stream().sorted(Comparator.comparingLong(MiddlewareConfig::priority)).toList();
  }

  /** Settings without global middleware. */
  public RestApiConfig(
      @Nullable String host,
      int port,
      Duration defaultTimeout,
      @Nullable CorsConfig cors,
      int concurrencyRequestLimit) {
    this(host, port, defaultTimeout, cors, concurrencyRequestLimit, List.of());
  }

  /** Port 3111, 30 s timeout, permissive CORS, 1024 concurrent requests, no middleware. */
  public static RestApiConfig defaults() {
    return new RestApiConfig(null, DEFAULT_PORT, Duration.ofMillis(30_000), null, 1024);
  }

  /** The same settings on another host ({@code null}: the engine's host). */
  public RestApiConfig withHost(@Nullable String value) {
    return new RestApiConfig(
        value, port, defaultTimeout, cors, concurrencyRequestLimit, middleware);
  }

  /** The same settings on another port. */
  public RestApiConfig withPort(int value) {
    return new RestApiConfig(
        host, value, defaultTimeout, cors, concurrencyRequestLimit, middleware);
  }

  /** The same settings with another timeout. */
  public RestApiConfig withDefaultTimeout(Duration value) {
    return new RestApiConfig(host, port, value, cors, concurrencyRequestLimit, middleware);
  }

  /** The same settings with other CORS rules. */
  public RestApiConfig withCors(@Nullable CorsConfig value) {
    return new RestApiConfig(
        host, port, defaultTimeout, value, concurrencyRequestLimit, middleware);
  }

  /** The same settings with other global middleware. */
  public RestApiConfig withMiddleware(List<MiddlewareConfig> value) {
    return new RestApiConfig(host, port, defaultTimeout, cors, concurrencyRequestLimit, value);
  }

  /**
   * CORS settings.
   *
   * @param allowedOrigins exact origins; empty or containing {@code *} allows any origin
   * @param allowedMethods allowed methods; empty allows any
   */
  public record CorsConfig(List<String> allowedOrigins, List<String> allowedMethods) {

    public CorsConfig {
      allowedOrigins = List.copyOf(allowedOrigins);
      allowedMethods = List.copyOf(allowedMethods);
    }
  }

  /**
   * One global middleware ({@code rest_api} config {@code middleware:} entry).
   *
   * @param functionId the function called before every route's handler
   * @param phase when it runs; the official engine runs only {@code preHandler} (the default)
   * @param priority order among global middleware, lower first (0 by default)
   */
  public record MiddlewareConfig(String functionId, String phase, long priority) {

    /** The default phase, and the only one that runs. */
    public static final String PRE_HANDLER = "preHandler";

    public MiddlewareConfig {
      Objects.requireNonNull(functionId, "functionId");
      Objects.requireNonNull(phase, "phase");
    }

    /** A {@code preHandler} middleware of priority 0. */
    public MiddlewareConfig(String functionId) {
      this(functionId, PRE_HANDLER, 0);
    }
  }
}
