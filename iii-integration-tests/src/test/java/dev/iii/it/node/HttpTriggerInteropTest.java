package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.it.node.Interop.Fixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP triggers across languages (official Node SDK 0.9.0): a Node function behind an HTTP route
 * registered by Java, a Java function behind a route registered by Node, and a Node handler
 * streaming its response with the SDK's {@code http()} helper.
 */
class HttpTriggerInteropTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Interop.Fixtures fixtures = new Interop.Fixtures("http-triggers");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  private static HttpResponse<String> awaitRoute(Fixture f, HttpRequest request) {
    AtomicReference<HttpResponse<String>> response = new AtomicReference<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              response.set(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
              return response.get().statusCode() != 404;
            });
    return response.get();
  }

  @Test
  void nodeFunctionBehindARouteRegisteredByJava() throws Exception {
    Fixture f = fixtures.get("0.9.0");
    String function = uniqueId("node::echo-http");
    String path = "/" + uniqueId("items").replace("::", "-") + "/:id";
    f.node().result("register", Map.of("id", function, "behavior", "httpEcho"));
    awaitJavaSees(f.java(), function);

    f.java().registerTrigger("http", function, Map.of("api_path", path, "http_method", "POST"));

    HttpResponse<String> response =
        awaitRoute(
            f,
            HttpRequest.newBuilder(
                    URI.create(f.engine().httpUrl() + path.replace(":id", "42") + "?q=x+y"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":3}"))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("method").asString()).isEqualTo("POST");
    assertThat(body.path("path").asString()).isEqualTo(path);
    assertThat(body.path("path_params").path("id").asString()).isEqualTo("42");
    assertThat(body.path("query_params").path("q").asString()).isEqualTo("x y");
    assertThat(body.path("body").path("qty").asInt()).isEqualTo(3);
  }

  @Test
  void javaFunctionBehindARouteRegisteredByNode() throws Exception {
    Fixture f = fixtures.get("0.9.0");
    String function = uniqueId("java::hello-http");
    String path = "/" + uniqueId("hello").replace("::", "-");
    f.java()
        .registerFunction(
            function,
            input ->
                Map.of(
                    "status_code",
                    201,
                    "headers",
                    Map.of("x-java", "yes"),
                    "body",
                    Map.of("message", "Hello from Java")));
    awaitNodeSees(f.node(), function);

    f.node()
        .result(
            "registerTrigger",
            Map.of(
                "type",
                "http",
                "function_id",
                function,
                "config",
                Map.of("api_path", path, "http_method", "GET")));

    HttpResponse<String> response =
        awaitRoute(f, HttpRequest.newBuilder(URI.create(f.engine().httpUrl() + path)).build());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("x-java")).hasValue("yes");
    assertThat(JSON.readTree(response.body()).path("message").asString())
        .isEqualTo("Hello from Java");
  }

  @Test
  void nodeHandlerStreamsItsResponse() throws Exception {
    Fixture f = fixtures.get("0.9.0");
    String function = uniqueId("node::stream-http");
    String path = "/" + uniqueId("stream").replace("::", "-");
    f.node().result("register", Map.of("id", function, "behavior", "httpStream", "chunks", 4));
    awaitJavaSees(f.java(), function);

    f.java().registerTrigger("http", function, Map.of("api_path", path, "http_method", "GET"));

    HttpResponse<String> response =
        awaitRoute(f, HttpRequest.newBuilder(URI.create(f.engine().httpUrl() + path)).build());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
    assertThat(response.body()).isEqualTo("chunk-1\nchunk-2\nchunk-3\nchunk-4\n");
  }
}
