package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.InitOptions;
import dev.iii.ReconnectionConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plumbing shared by the tests against the official Node SDK 0.22.1 ({@code V022*}). */
final class V022 {

  /** The SDK version these tests drive. */
  static final String SDK = "0.22.1";

  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private V022() {}

  /**
   * Starts a 0.22.1 driver for the engine at {@code wsUrl} and connects it with a fast reconnect
   * (100 ms to 500 ms, no jitter), so reconnect tests do not wait on the SDK's 1 s to 30 s default
   * backoff. {@code extra} adds or overrides connect options (e.g. {@code otel: true}).
   */
  static NodeSdk connect(String wsUrl, String workerName, Map<String, ?> extra) {
    NodeSdk node = NodeSdk.start(SDK, wsUrl);
    try {
      Map<String, Object> options = new LinkedHashMap<>();
      options.put("workerName", workerName);
      options.put("invocationTimeoutMs", WAIT.toMillis());
      options.put(
          "reconnectionConfig",
          Map.of(
              "initialDelayMs", 100, "maxDelayMs", 500, "backoffMultiplier", 2, "jitterFactor", 0));
      options.putAll(extra);
      node.result("connect", options);
    } catch (RuntimeException | Error e) {
      node.close();
      throw e;
    }
    return node;
  }

  /**
   * A connected Java client that reconnects fast (100 ms to 500 ms, no jitter) instead of the 1 s
   * to 30 s default, for the reconnect tests.
   */
  static III connectJava(String wsUrl, String workerName) {
    III java =
        new III(
            wsUrl,
            InitOptions.builder()
                .workerName(workerName)
                .enableMetricsReporting(false)
                .invocationTimeout(WAIT)
                .reconnection(
                    new ReconnectionConfig(
                        Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0.0, -1))
                .build());
    try {
      Interop.get(java.connect());
    } catch (RuntimeException | Error e) {
      java.close();
      throw e;
    }
    return java;
  }

  /** Calls an {@code engine::*} built-in from the Node SDK and returns its result. */
  static JsonNode builtin(NodeSdk node, String functionId, Map<String, ?> payload) {
    return node.result("call", Map.of("function_id", functionId, "data", payload));
  }

  /**
   * Makes one round trip through the driver. Its stdout is one ordered stream, so once the reply is
   * back every event the driver wrote before it (e.g. {@code invoked}) has been recorded; a check
   * that something did <em>not</em> happen then needs no waiting window.
   */
  static void syncEvents(NodeSdk node) {
    node.result("status", Map.of());
  }

  /**
   * Whether the driver has reported an invocation of {@code functionId} (see {@link #syncEvents}).
   */
  static boolean wasInvoked(NodeSdk node, String functionId) {
    return node.events().stream()
        .anyMatch(
            e ->
                "invoked".equals(e.path("event").asString(""))
                    && functionId.equals(e.path("function_id").asString("")));
  }

  /** The {@code invoked} events of {@code functionId}, oldest first. */
  static List<JsonNode> invocations(NodeSdk node, String functionId) {
    return node.events().stream()
        .filter(
            e ->
                "invoked".equals(e.path("event").asString(""))
                    && functionId.equals(e.path("function_id").asString("")))
        .toList();
  }

  /** The SDK's console lines (driver {@code log} events) whose message matches, oldest first. */
  static List<String> logs(NodeSdk node, Predicate<String> message) {
    return node.events().stream()
        .filter(e -> "log".equals(e.path("event").asString("")))
        .map(e -> e.path("message").asString(""))
        .filter(message)
        .toList();
  }

  /** Waits (bounded) for an SDK console line matching {@code message}. */
  static String awaitLog(NodeSdk node, Predicate<String> message) {
    return node.awaitEvent(
            e ->
                "log".equals(e.path("event").asString(""))
                    && message.test(e.path("message").asString("")),
            WAIT)
        .path("message")
        .asString();
  }

  /** Sends a request to the engine's REST port. */
  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("HTTP request " + request + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Sends {@code request} until the route exists (the trigger registration is asynchronous), and
   * returns the first answer that is not a 404.
   */
  static HttpResponse<String> awaitRoute(HttpRequest request) {
    AtomicReference<HttpResponse<String>> response = new AtomicReference<>();
    await("route " + request.uri() + " registered")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              response.set(send(request));
              return response.get().statusCode() != 404;
            });
    return response.get();
  }

  static HttpRequest.Builder request(String baseUrl, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(WAIT);
  }

  /** A route path no other test uses, e.g. {@code /orders-1a2b3c4d}. */
  static String uniquePath(String prefix) {
    return "/" + Interop.uniqueId(prefix);
  }

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }
}
