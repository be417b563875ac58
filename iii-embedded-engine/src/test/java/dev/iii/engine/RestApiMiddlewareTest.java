package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.III;
import dev.iii.engine.config.RestApiConfig.MiddlewareConfig;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The stages a request passes through at v0.22.1 ({@code views.rs}): global middleware from the
 * config, the condition, the route's {@code middleware_function_ids}, then the handler with the
 * trigger's metadata; and the limit on JSON bodies.
 */
class RestApiMiddlewareTest extends RestApiSupportTest {

  private static final Map<String, Object> CONTINUE = Map.of("action", "continue");

  /** Registers a function that records its id (and input) and answers {@code result}. */
  private static void recording(
      III iii, String id, List<String> calls, List<Object> inputs, Object result) {
    iii.registerFunction(
        id,
        input -> {
          calls.add(id);
          inputs.add(input);
          return result;
        });
  }

  @Test
  void routeMiddlewareRunsInOrderAfterTheConditionWithTheOfficialInput() {
    III iii = worker();
    List<String> calls = new CopyOnWriteArrayList<>();
    List<Object> inputs = new CopyOnWriteArrayList<>();
    recording(iii, "cond::yes", calls, inputs, true);
    recording(iii, "mw::one", calls, inputs, CONTINUE);
    recording(iii, "mw::two", calls, inputs, Map.of("action", "something-else"));
    recording(iii, "api::handler", calls, inputs, Map.of("status_code", 201, "body", "done"));
    iii.registerTrigger(
        "http",
        "api::handler",
        Map.of(
            "api_path", "items/:id",
            "http_method", "POST",
            "condition_function_id", "cond::yes",
            "middleware_function_ids", List.of("mw::one", "mw::two")));
    sync(iii);

    HttpResponse<String> response =
        send(
            request("/items/7?q=x")
                .header("Content-Type", "application/json")
                .header("X-Token", "t0k")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                .build());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(calls).containsExactly("cond::yes", "mw::one", "mw::two", "api::handler");
    Map<?, ?> middlewareInput = (Map<?, ?>) inputs.get(1);
    assertThat(List.<Object>copyOf(middlewareInput.keySet()))
        .containsExactly("context", "phase", "request");
    assertThat(middlewareInput.get("phase")).isEqualTo("preHandler");
    assertThat((Map<?, ?>) middlewareInput.get("context")).isEmpty();
    Map<?, ?> request = (Map<?, ?>) middlewareInput.get("request");
    assertThat(List.<Object>copyOf(request.keySet()))
        .containsExactly("headers", "method", "path_params", "query_params");
    assertThat(request.get("method")).isEqualTo("POST");
    assertThat(request.get("path_params")).isEqualTo(Map.of("id", "7"));
    assertThat(request.get("query_params")).isEqualTo(Map.of("q", "x"));
    assertThat(((Map<?, ?>) request.get("headers")).get("x-token")).isEqualTo("t0k");
  }

  @Test
  void aRespondingMiddlewareAnswersTheRequestAndNothingAfterItRuns() {
    III iii = worker();
    List<String> calls = new CopyOnWriteArrayList<>();
    List<Object> inputs = new CopyOnWriteArrayList<>();
    recording(
        iii,
        "mw::deny",
        calls,
        inputs,
        Map.of(
            "action",
            "respond",
            "response",
            Map.of(
                "status_code",
                401,
                "body",
                Map.of("error", "unauthorized"),
                "headers",
                Map.of("WWW-Authenticate", "Bearer"))));
    recording(iii, "mw::after", calls, inputs, CONTINUE);
    recording(iii, "api::secret", calls, inputs, Map.of("body", "secret"));
    iii.registerTrigger(
        "http",
        "api::secret",
        Map.of("api_path", "secret", "middleware_function_ids", List.of("mw::deny", "mw::after")));
    sync(iii);

    HttpResponse<String> response = get("/secret");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(body(response)).isEqualTo(parse(json("{'error':'unauthorized'}")));
    assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("access-control-allow-origin"))
        .as("inside the CORS layer")
        .hasValue("*");
    assertThat(calls).containsExactly("mw::deny");
  }

  @Test
  void aFailingMiddlewareIs500WithItsError() {
    III iii = worker();
    iii.registerFunction(
        "mw::broken",
        input -> {
          throw new dev.iii.IIIException("AUTH_DOWN", "auth service down");
        });
    iii.registerFunction("api::h", input -> Map.of("body", "never"));
    iii.registerTrigger(
        "http",
        "api::h",
        Map.of("api_path", "h", "middleware_function_ids", List.of("mw::broken")));
    sync(iii);

    HttpResponse<String> response = get("/h");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(body(response).at("/error/code").asString()).isEqualTo("AUTH_DOWN");
    assertThat(body(response).at("/error/message").asString()).isEqualTo("auth service down");
    assertThat(body(response).at("/error/error_id").asString()).matches("[0-9a-f]{1,12}");
  }

  @Test
  void configuredMiddlewareRunsFirstByPriorityOnEveryRoute() {
    EmbeddedEngine configured =
        engineWith(
            c ->
                c.withMiddleware(
                    List.of(
                        new MiddlewareConfig("mw::global-late", "preHandler", 5),
                        new MiddlewareConfig("mw::never", "onResponse", 0),
                        new MiddlewareConfig("mw::global-early", "preHandler", 1))));
    III iii = worker(configured);
    List<String> calls = new CopyOnWriteArrayList<>();
    List<Object> inputs = new CopyOnWriteArrayList<>();
    recording(iii, "mw::global-early", calls, inputs, CONTINUE);
    recording(iii, "mw::global-late", calls, inputs, CONTINUE);
    recording(iii, "mw::never", calls, inputs, CONTINUE);
    recording(iii, "cond::yes", calls, inputs, true);
    recording(iii, "mw::route", calls, inputs, CONTINUE);
    recording(iii, "api::a", calls, inputs, Map.of("body", "a"));
    recording(iii, "api::b", calls, inputs, Map.of("body", "b"));
    iii.registerTrigger(
        "http",
        "api::a",
        Map.of(
            "api_path", "a",
            "condition_function_id", "cond::yes",
            "middleware_function_ids", List.of("mw::route")));
    iii.registerTrigger("http", "api::b", Map.of("api_path", "b"));
    sync(iii);

    assertThat(send(request(configured, "/a").GET().build()).body()).isEqualTo("\"a\"");
    assertThat(calls)
        .containsExactly("mw::global-early", "mw::global-late", "cond::yes", "mw::route", "api::a");
    calls.clear();
    assertThat(send(request(configured, "/b").GET().build()).body()).isEqualTo("\"b\"");
    assertThat(calls).containsExactly("mw::global-early", "mw::global-late", "api::b");
  }

  @Test
  void aConfiguredMiddlewareCanRefuseBeforeTheBodyIsRead() {
    EmbeddedEngine configured =
        engineWith(c -> c.withMiddleware(List.of(new MiddlewareConfig("mw::gate"))));
    III iii = worker(configured);
    iii.registerFunction(
        "mw::gate",
        input ->
            Map.of("action", "respond", "response", Map.of("status_code", 403, "body", "closed")));
    List<String> calls = new CopyOnWriteArrayList<>();
    recording(iii, "api::upload", calls, new ArrayList<>(), Map.of("body", "stored"));
    iii.registerTrigger("http", "api::upload", Map.of("api_path", "up", "http_method", "PUT"));
    sync(iii);

    HttpResponse<String> response =
        send(
            request(configured, "/up")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[256 * 1024]))
                .build());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("\"closed\"");
    assertThat(calls).isEmpty();
  }

  @Test
  void aMiddlewareThatNeverAnswersEndsIn504() {
    EmbeddedEngine slow = engineWith(c -> c.withDefaultTimeout(Duration.ofMillis(300)));
    III iii = worker(slow);
    CompletableFuture<Object> never = new CompletableFuture<>();
    iii.registerFunction("mw::hang", input -> never);
    List<String> calls = new CopyOnWriteArrayList<>();
    recording(iii, "api::h", calls, new ArrayList<>(), Map.of("body", "never"));
    iii.registerTrigger(
        "http", "api::h", Map.of("api_path", "h", "middleware_function_ids", List.of("mw::hang")));
    sync(iii);

    HttpResponse<String> response = send(request(slow, "/h").GET().build());

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(calls).isEmpty();
    never.complete(CONTINUE);
  }

  @Test
  void theTriggersMetadataReachesOnlyTheHandler() {
    RawWorker worker = connect();
    for (String id : List.of("api::meta", "cond::meta", "mw::meta")) {
      registerFunction(worker, id);
    }
    worker.sendAndSync(
        json(
            "{'type':'registertrigger','id':'meta-route','trigger_type':'http',"
                + "'function_id':'api::meta','metadata':{'tenant':'acme'},'config':{"
                + "'api_path':'meta','condition_function_id':'cond::meta',"
                + "'middleware_function_ids':['mw::meta']}}"));

    CompletableFuture<HttpResponse<String>> response = sendAsync(request("/meta").GET().build());
    JsonNode condition = worker.awaitInvocation("cond::meta");
    worker.reply(condition, "true");
    JsonNode middleware = worker.awaitInvocation("mw::meta");
    worker.reply(middleware, json("{'action':'continue'}"));
    JsonNode handler = worker.awaitInvocation("api::meta");
    worker.reply(handler, json("{'status_code':200,'body':'ok'}"));

    assertThat(response.join().body()).isEqualTo("\"ok\"");
    assertThat(handler.get("metadata")).isEqualTo(parse(json("{'tenant':'acme'}")));
    assertThat(condition.has("metadata")).isFalse();
    assertThat(middleware.has("metadata")).isFalse();
  }

  @Test
  void aJsonBodyLargerThanTheEngineBuffersIs413() throws IOException {
    III iii = worker();
    route(iii, "POST", "big", "api::big", in -> Map.of("body", "read"));

    // The length alone decides: no body bytes need to be sent.
    try (Socket socket = new Socket("127.0.0.1", engine.httpPort())) {
      socket.setSoTimeout((int) HTTP_TIMEOUT.toMillis());
      socket
          .getOutputStream()
          .write(
              ("POST /big HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 999999999\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[4096];
      int read = socket.getInputStream().read(reply);
      String head = new String(reply, 0, Math.max(read, 0), StandardCharsets.UTF_8);

      assertThat(head).startsWith("HTTP/1.1 413 ");
      assertThat(head).contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
    }
  }
}
