package dev.iii.engine.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The REST API module ({@code modules::api::RestApiModule}): serves {@code http} triggers.
 *
 * @param host the address to bind; {@code null} binds the engine's host
 * @param port the HTTP port (3111; 0 picks a free port)
 * @param defaultTimeout how long a request may wait for its response headers before a 504 (30 s)
 * @param cors allowed origins and methods; {@code null} allows everything (permissive)
 * @param concurrencyRequestLimit requests served at once; more wait for a slot (1024)
 */
public record RestApiConfig(
    @Nullable String host,
    int port,
    Duration defaultTimeout,
    @Nullable CorsConfig cors,
    int concurrencyRequestLimit) {

  /** The official engine's REST API port. */
  public static final int DEFAULT_PORT = 3111;

  public RestApiConfig {
    EngineConfig.checkPort(port);
    Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    if (concurrencyRequestLimit < 1) {
      throw new IllegalArgumentException("concurrency_request_limit must be at least 1");
    }
  }

  /** Port 3111, 30 s timeout, permissive CORS, 1024 concurrent requests. */
  public static RestApiConfig defaults() {
    return new RestApiConfig(null, DEFAULT_PORT, Duration.ofMillis(30_000), null, 1024);
  }

  public RestApiConfig withPort(int value) {
    return new RestApiConfig(host, value, defaultTimeout, cors, concurrencyRequestLimit);
  }

  public RestApiConfig withDefaultTimeout(Duration value) {
    return new RestApiConfig(host, port, value, cors, concurrencyRequestLimit);
  }

  public RestApiConfig withCors(@Nullable CorsConfig value) {
    return new RestApiConfig(host, port, defaultTimeout, value, concurrencyRequestLimit);
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
}
