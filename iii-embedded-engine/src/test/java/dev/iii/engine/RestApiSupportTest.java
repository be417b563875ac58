package dev.iii.engine;

import static org.awaitility.Awaitility.await;

import dev.iii.FunctionHandler;
import dev.iii.FunctionRef;
import dev.iii.III;
import dev.iii.Trigger;
import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.RestApiConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;

/**
 * A fresh engine per test (from {@link EngineTestSupport}), plus {@link III} workers that register
 * functions and {@code http} triggers, and a plain HTTP/1.1 client for the engine's HTTP port.
 */
abstract class RestApiSupportTest extends EngineTestSupport {

  protected static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

  protected final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(HTTP_TIMEOUT)
          .build();

  private final List<III> clients = new ArrayList<>();
  private final List<EmbeddedEngine> extraEngines = new ArrayList<>();

  @AfterEach
  final void closeClients() {
    clients.forEach(III::close);
    extraEngines.forEach(EmbeddedEngine::close);
  }

  /** Another engine on free ports with the given REST API settings; closed after the test. */
  protected EmbeddedEngine engineWith(UnaryOperator<RestApiConfig> restApi) {
    RestApiConfig config = restApi.apply(RestApiConfig.defaults().withPort(0));
    EmbeddedEngine other =
        EmbeddedEngine.builder()
            .config(
                EngineConfig.development().withHost("127.0.0.1").withPort(0).withRestApi(config))
            .streamPort(0)
            .build()
            .start();
    extraEngines.add(other);
    return other;
  }

  /** A connected SDK worker on {@link #engine}. */
  protected III worker() {
    return worker(engine);
  }

  /** A connected SDK worker on the given engine; closed after the test. */
  protected III worker(EmbeddedEngine target) {
    III iii = new III(target.wsUrl());
    clients.add(iii);
    iii.connect().join();
    return iii;
  }

  /** Registers a function and an {@code http} trigger for it, and waits until the route is live. */
  protected static Trigger route(
      III iii, String method, String apiPath, String functionId, FunctionHandler handler) {
    iii.registerFunction(functionId, handler);
    return route(iii, method, apiPath, functionId);
  }

  /** Registers an {@code http} trigger and waits until the engine has handled it. */
  protected static Trigger route(III iii, String method, String apiPath, String functionId) {
    Trigger trigger =
        iii.registerTrigger("http", functionId, Map.of("api_path", apiPath, "http_method", method));
    sync(iii);
    return trigger;
  }

  /**
   * Waits until the engine has handled every registration this worker sent so far. The client sends
   * registrations in order from one queue, and calls straight from the caller's thread, so a call
   * right after a registration may overtake it: instead, a marker function is registered behind
   * them, and once the engine lists it the registrations before it have been handled (the engine
   * handles one connection's messages in order).
   */
  protected static void sync(III iii) {
    String marker = "sync::" + UUID.randomUUID();
    FunctionRef ref = iii.registerFunction(marker, input -> null);
    await()
        .atMost(HTTP_TIMEOUT)
        .until(
            () ->
                iii.listFunctions().join().stream()
                    .anyMatch(info -> info.functionId().equals(marker)));
    ref.unregister();
  }

  protected HttpRequest.Builder request(String pathAndQuery) {
    return request(engine, pathAndQuery);
  }

  protected static HttpRequest.Builder request(EmbeddedEngine target, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(target.httpUrl() + pathAndQuery))
        .timeout(HTTP_TIMEOUT);
  }

  protected HttpResponse<String> get(String pathAndQuery) {
    return send(request(pathAndQuery).GET().build());
  }

  protected HttpResponse<String> postJson(String pathAndQuery, String json) {
    return send(
        request(pathAndQuery)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  protected HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  protected CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  protected static JsonNode body(HttpResponse<String> response) {
    return parse(response.body());
  }
}
