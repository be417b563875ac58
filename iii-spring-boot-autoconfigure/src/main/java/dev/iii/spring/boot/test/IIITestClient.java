package dev.iii.spring.boot.test;

import dev.iii.III;
import dev.iii.IIIClient;
import dev.iii.IIIException;
import dev.iii.engine.EmbeddedEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the application's functions and HTTP routes in a test, the way other services and HTTP
 * clients reach them: through the embedded engine of an {@link AutoConfigureIII} test. Inject it
 * ({@code @Autowired IIITestClient iii}).
 *
 * <p>Function calls go through a client of its own, connected to the engine like another worker
 * ({@link #client()}); HTTP requests go to the engine's HTTP port. Every call waits at most {@link
 * #DEFAULT_TIMEOUT} (or the timeout given to {@link #withTimeout(Duration)}), so a test never
 * hangs.
 *
 * <p>Concurrency: thread-safe; it has no mutable state, and the clients it holds are thread-safe.
 */
public final class IIITestClient implements AutoCloseable {

  /** How long a call waits for its answer unless {@link #withTimeout(Duration)} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final EmbeddedEngine engine;
  private final JsonMapper json;
  private final III caller;
  private final HttpClient http;
  private final Duration timeout;
  private final boolean owner;

  /**
   * Connects a client of its own to {@code engine}.
   *
   * @param engine the running engine the application is connected to
   * @param json reads and writes HTTP bodies (usually the application's mapper)
   * @throws IllegalStateException when it cannot connect within {@link #DEFAULT_TIMEOUT}
   */
  public IIITestClient(EmbeddedEngine engine, JsonMapper json) {
    this.engine = engine;
    this.json = json;
    this.caller = new III(engine.wsUrl());
    this.http = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build();
    this.timeout = DEFAULT_TIMEOUT;
    this.owner = true;
    try {
      await(caller.connect(), "connecting to the embedded engine at " + engine.wsUrl());
    } catch (RuntimeException e) {
      caller.close();
      throw e;
    }
  }

  private IIITestClient(IIITestClient of, Duration timeout) {
    this.engine = of.engine;
    this.json = of.json;
    this.caller = of.caller;
    this.http = of.http;
    this.timeout = timeout;
    this.owner = false;
  }

  /** The same client, waiting at most {@code timeout} for each answer. */
  public IIITestClient withTimeout(Duration timeout) {
    return new IIITestClient(this, timeout);
  }

  /**
   * Calls a function and waits for its result.
   *
   * @return the result as JSON-shaped Java values (maps, lists, strings, numbers, booleans)
   * @throws IIIException the function's error, e.g. {@code invalid_argument}
   */
  public @Nullable Object call(String functionId, @Nullable Object payload) {
    return await(caller.call(functionId, payload), "calling " + functionId);
  }

  /**
   * Calls a function and converts its result to {@code resultType}.
   *
   * @throws IIIException the function's error, e.g. {@code invalid_argument}
   */
  public <T> @Nullable T call(String functionId, @Nullable Object payload, Class<T> resultType) {
    return await(caller.call(functionId, payload, resultType), "calling " + functionId);
  }

  /** Sends {@code GET path} (with its query string, if any) to the engine's HTTP port. */
  public Response get(String path) {
    return request("GET", path, null, Map.of());
  }

  /** Sends {@code POST path} with {@code body} as JSON (a {@code String} is sent as it is). */
  public Response post(String path, @Nullable Object body) {
    return request("POST", path, body, Map.of());
  }

  /**
   * Sends an HTTP request to the engine's HTTP port. A body is sent as JSON ({@code content-type:
   * application/json} unless {@code headers} set one); a {@code String} body is sent as it is.
   *
   * @param method the HTTP method, e.g. {@code PUT}
   * @param path the path and query, e.g. {@code /orders/42?expand=lines}
   * @param body the request body; {@code null}: none
   * @param headers request headers
   */
  public Response request(
      String method, String path, @Nullable Object body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(httpUrl() + path)).timeout(timeout);
    BodyPublisher publisher = BodyPublishers.noBody();
    if (body != null) {
      publisher =
          BodyPublishers.ofString(
              body instanceof String text ? text : json.writeValueAsString(body));
      if (headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
        request.header("content-type", "application/json");
      }
    }
    headers.forEach(request::header);
    request.method(method, publisher);
    try {
      java.net.http.HttpResponse<String> response =
          http.send(request.build(), BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().map(), response.body(), json);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during " + method + " " + path, e);
    }
  }

  /** The engine's HTTP base URL, e.g. {@code http://127.0.0.1:53117}, for other HTTP clients. */
  public String httpUrl() {
    return engine.httpUrl().replace("://0.0.0.0:", "://127.0.0.1:");
  }

  /** The engine's worker URL, e.g. {@code ws://127.0.0.1:53116}. */
  public String wsUrl() {
    return engine.wsUrl();
  }

  /**
   * The client this helper calls with, connected to the engine: for what the shortcuts here do not
   * cover (fire-and-forget calls, registering a stand-in for a function of another service, …).
   */
  public IIIClient client() {
    return caller;
  }

  /** Disconnects its client; a copy made by {@link #withTimeout(Duration)} leaves it connected. */
  @Override
  public void close() {
    if (owner) {
      caller.close();
    }
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(what + " failed", cause);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IllegalStateException("No answer within " + timeout + " " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while " + what, e);
    }
  }

  /** An HTTP response, its body read as text. */
  public static final class Response {

    private final int status;
    private final Map<String, List<String>> headers;
    private final String body;
    private final JsonMapper json;

    Response(int status, Map<String, List<String>> headers, String body, JsonMapper json) {
      this.status = status;
      this.headers = headers;
      this.body = body;
      this.json = json;
    }

    /** The status code, e.g. {@code 200}. */
    public int status() {
      return status;
    }

    /** The first value of a header (names are case-insensitive). */
    public Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .flatMap(entry -> entry.getValue().stream())
          .findFirst();
    }

    /** All headers, as received. */
    public Map<String, List<String>> headers() {
      return headers;
    }

    /** The body as text; empty when there is none. */
    public String body() {
      return body;
    }

    /** The body parsed as JSON. */
    public JsonNode json() {
      return json.readTree(body);
    }

    /** The body read as JSON into {@code type}. */
    public <T> T body(Class<T> type) {
      return json.readValue(body, type);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
