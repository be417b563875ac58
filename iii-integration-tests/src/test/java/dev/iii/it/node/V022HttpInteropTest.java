package dev.iii.it.node;

import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.SDK;
import static dev.iii.it.node.V022.awaitRoute;
import static dev.iii.it.node.V022.invocations;
import static dev.iii.it.node.V022.json;
import static dev.iii.it.node.V022.request;
import static dev.iii.it.node.V022.send;
import static dev.iii.it.node.V022.syncEvents;
import static dev.iii.it.node.V022.uniquePath;
import static dev.iii.it.node.V022.wasInvoked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.it.node.Interop.Fixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * HTTP features of v0.22.1 that Node 0.22.1 handlers rely on, through real requests to our engine's
 * REST port: a JSON body is also readable raw on {@code request_body} (the {@code http()} helper's
 * reader); a string body with a handler-set {@code content-type} is sent raw; per-route {@code
 * middleware_function_ids} run in order with the official {@code preHandler} input and may continue
 * or respond; {@code condition_function_id} false skips the handler (422 {@code
 * CONDITION_NOT_MET}); engine-made errors use the {@code {"error":{code,message}}} envelope.
 */
class V022HttpInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("v022-http");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  private static void route(
      Fixture f, String function, String path, String method, Map<String, ?> extra) {
    Map<String, Object> config = new java.util.LinkedHashMap<>(extra);
    config.put("api_path", path);
    config.put("http_method", method);
    f.node()
        .result(
            "registerTrigger", Map.of("type", "http", "function_id", function, "config", config));
  }

  private static void register(Fixture f, String id, String behavior, Map<String, ?> extra) {
    Map<String, Object> command = new java.util.LinkedHashMap<>(extra);
    command.put("id", id);
    command.put("behavior", behavior);
    f.node().result("register", command);
  }

  @Test
  void aJsonBodyIsAlsoReadableOnRequestBody() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::read-body");
    String path = uniquePath("json-body");
    register(f, fn, "httpReadBody", Map.of());
    awaitJavaSees(f.java(), fn);
    route(f, fn, path, "POST", Map.of());

    String raw = "{\"qty\": 3, \"name\": \"ünï\"}";
    HttpResponse<String> response =
        awaitRoute(
            request(f.engine().httpUrl(), path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(raw))
                .build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.path("raw").asString()).as("bytes on request_body").isEqualTo(raw);
    assertThat(body.path("body").path("qty").asInt()).as("parsed body").isEqualTo(3);
    assertThat(body.path("content_type").asString()).isEqualTo("application/json");
  }

  @Test
  void aStringBodyWithAHandlerSetContentTypeIsSentRaw() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::raw");
    String path = uniquePath("raw");
    String xml = "<greeting lang=\"en\">hi & bye</greeting>";
    register(f, fn, "httpRaw", Map.of("message", xml, "contentType", "application/xml"));
    awaitJavaSees(f.java(), fn);
    route(f, fn, path, "GET", Map.of());

    HttpResponse<String> response = awaitRoute(request(f.engine().httpUrl(), path).GET().build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/xml");
    assertThat(response.body()).isEqualTo(xml);
  }

  @Test
  void middlewaresThatContinueRunInOrderWithThePreHandlerInput() {
    Fixture f = fixtures.get(SDK);
    String first = uniqueId("node::mw-first");
    String second = uniqueId("node::mw-second");
    String handler = uniqueId("node::guarded");
    String path = uniquePath("mw") + "/:id";
    register(f, first, "middlewareContinue", Map.of());
    register(f, second, "middlewareContinue", Map.of());
    register(f, handler, "httpHello", Map.of("message", "through"));
    awaitJavaSees(f.java(), first, second, handler);
    route(f, handler, path, "GET", Map.of("middleware_function_ids", List.of(first, second)));

    HttpResponse<String> response =
        awaitRoute(
            request(f.engine().httpUrl(), path.replace(":id", "7") + "?q=1")
                .header("X-Probe", "yes")
                .GET()
                .build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response.body()).path("message").asString()).isEqualTo("through");
    syncEvents(f.node());
    List<String> order =
        f.node().events().stream()
            .filter(e -> "invoked".equals(e.path("event").asString("")))
            .map(e -> e.path("function_id").asString(""))
            .filter(id -> List.of(first, second, handler).contains(id))
            .toList();
    assertThat(order).containsExactly(first, second, handler);

    JsonNode input = invocations(f.node(), first).get(0).path("data");
    assertThat(input.path("phase").asString()).isEqualTo("preHandler");
    assertThat(input.path("request").path("method").asString()).isEqualTo("GET");
    assertThat(input.path("request").path("path_params").path("id").asString()).isEqualTo("7");
    assertThat(input.path("request").path("query_params").path("q").asString()).isEqualTo("1");
    assertThat(input.path("request").path("headers").path("x-probe").asString()).isEqualTo("yes");
    assertThat(input.path("context").isObject()).isTrue();
  }

  @Test
  void aMiddlewareThatRespondsShortCircuitsTheHandler() {
    Fixture f = fixtures.get(SDK);
    String mw = uniqueId("node::mw-deny");
    String handler = uniqueId("node::never");
    String path = uniquePath("deny");
    register(
        f,
        mw,
        "middlewareRespond",
        Map.of(
            "response",
            Map.of(
                "status_code",
                403,
                "body",
                Map.of("denied", true),
                "headers",
                Map.of("x-mw", "1"))));
    register(f, handler, "httpHello", Map.of());
    awaitJavaSees(f.java(), mw, handler);
    route(f, handler, path, "GET", Map.of("middleware_function_ids", List.of(mw)));

    HttpResponse<String> response = awaitRoute(request(f.engine().httpUrl(), path).GET().build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-mw")).hasValue("1");
    assertThat(json(response.body()).path("denied").asBoolean()).isTrue();
    syncEvents(f.node());
    assertThat(wasInvoked(f.node(), mw)).isTrue();
    assertThat(wasInvoked(f.node(), handler))
        .as("handler behind a responding middleware")
        .isFalse();
  }

  @Test
  void aFalseConditionSkipsTheHandler() {
    Fixture f = fixtures.get(SDK);
    String condition = uniqueId("node::cond-false");
    String handler = uniqueId("node::skipped");
    String path = uniquePath("cond-false");
    register(f, condition, "constant", Map.of("value", false));
    register(f, handler, "httpHello", Map.of());
    awaitJavaSees(f.java(), condition, handler);
    route(f, handler, path, "POST", Map.of("condition_function_id", condition));

    HttpResponse<String> response =
        awaitRoute(
            request(f.engine().httpUrl(), path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":5}"))
                .build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(json(response.body()).path("error").path("code").asString())
        .isEqualTo("CONDITION_NOT_MET");
    syncEvents(f.node());
    assertThat(wasInvoked(f.node(), handler)).as("handler behind a false condition").isFalse();
    // The condition sees the request (without its channels).
    JsonNode input = invocations(f.node(), condition).get(0).path("data");
    assertThat(input.path("body").path("amount").asInt()).isEqualTo(5);
    assertThat(input.path("method").asString()).isEqualTo("POST");
    assertThat(input.has("request_body")).isFalse();
  }

  @Test
  void aTrueConditionRunsTheHandler() {
    Fixture f = fixtures.get(SDK);
    String condition = uniqueId("node::cond-true");
    String handler = uniqueId("node::allowed");
    String path = uniquePath("cond-true");
    register(f, condition, "constant", Map.of("value", true));
    register(f, handler, "httpHello", Map.of("message", "allowed"));
    awaitJavaSees(f.java(), condition, handler);
    route(f, handler, path, "GET", Map.of("condition_function_id", condition));

    HttpResponse<String> response = awaitRoute(request(f.engine().httpUrl(), path).GET().build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response.body()).path("message").asString()).isEqualTo("allowed");
    syncEvents(f.node());
    assertThat(wasInvoked(f.node(), condition)).as("condition consulted").isTrue();
  }

  @Test
  void anUnknownPathGetsTheNotFoundEnvelope() {
    Fixture f = fixtures.get(SDK);
    HttpResponse<String> response =
        send(request(f.engine().httpUrl(), uniquePath("nowhere")).GET().build());

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = json(response.body()).path("error");
    assertThat(error.path("code").asString()).isEqualTo("NOT_FOUND");
    assertThat(error.path("message").asString()).isEqualTo("Not Found");
  }

  @Test
  void aFailingHandlerGetsTheInvocationFailedEnvelope() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::http-fail");
    String path = uniquePath("fail");
    register(f, fn, "fail", Map.of("message", "bad input ✗"));
    awaitJavaSees(f.java(), fn);
    route(f, fn, path, "GET", Map.of());

    HttpResponse<String> response = awaitRoute(request(f.engine().httpUrl(), path).GET().build());

    assertThat(response.statusCode()).isEqualTo(500);
    JsonNode error = json(response.body()).path("error");
    assertThat(error.path("code").asString()).as(response.body()).isEqualTo("invocation_failed");
    assertThat(error.path("message").asString()).isEqualTo("bad input ✗");
    assertThat(error.path("error_id").asString()).isNotBlank();
  }
}
