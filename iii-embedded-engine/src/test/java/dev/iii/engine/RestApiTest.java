package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.Trigger;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@code http} trigger: the function's input, direct responses, routing and errors. */
class RestApiTest extends RestApiSupportTest {

  /** A handler answering with its own input as the body. */
  private static Object echo(Object input) {
    return Map.of("status_code", 201, "headers", Map.of("x-echo", "yes"), "body", input);
  }

  @Test
  void functionReceivesTheRequestAsTheOfficialEngineSendsIt() {
    III iii = worker();
    route(iii, "post", "items/:id", "api::echo", RestApiTest::echo);

    HttpResponse<String> response =
        send(
            request("/items/abc123?q=hello&limit=10&q=last&flag&sp=a+b%21")
                .header("Content-Type", "application/json; charset=utf-8")
                .header("X-Multi", "one")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"widget\",\"n\":[1,2]}"))
                .build());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("x-echo")).hasValue("yes");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode input = body(response);
    assertThat(keys(input))
        .containsExactly(
            "query_params",
            "path_params",
            "headers",
            "path",
            "method",
            "body",
            "trigger",
            "request_body",
            "response");
    assertThat(input.get("query_params"))
        .isEqualTo(parse(json("{'q':'last','limit':'10','flag':'','sp':'a b!'}")));
    assertThat(input.get("path_params")).isEqualTo(parse(json("{'id':'abc123'}")));
    assertThat(input.at("/headers/content-type").asString())
        .isEqualTo("application/json; charset=utf-8");
    assertThat(input.at("/headers/x-multi").asString()).isEqualTo("one");
    assertThat(input.at("/headers/host").asString()).startsWith("127.0.0.1:");
    assertThat(input.get("path").asString()).isEqualTo("items/:id");
    assertThat(input.get("method").asString()).isEqualTo("POST");
    assertThat(input.get("body")).isEqualTo(parse(json("{'name':'widget','n':[1,2]}")));
    assertThat(input.get("trigger"))
        .isEqualTo(parse(json("{'type':'http','path':'items/:id','method':'POST'}")));
    for (String ref : List.of("request_body", "response")) {
      assertThat(keys(input.get(ref))).containsExactly("channel_id", "access_key", "direction");
    }
    assertThat(input.at("/request_body/direction").asString()).isEqualTo("read");
    assertThat(input.at("/response/direction").asString()).isEqualTo("write");
    assertThat(input.at("/request_body/channel_id").asString())
        .isNotEqualTo(input.at("/response/channel_id").asString());
    assertThat(input.has("_caller_worker_id")).isFalse();
  }

  @Test
  void bodyIsNullWithoutJsonContentTypeOrEmptyAndInvalidJsonIs400() {
    III iii = worker();
    route(iii, "POST", "/echo", "api::echo", RestApiTest::echo);

    HttpResponse<String> invalid = postJson("/echo", "{not json");
    HttpResponse<String> plain =
        send(
            request("/echo")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                .build());
    HttpResponse<String> empty = postJson("/echo", "");

    // The official engine passes invalid JSON on as null; this one refuses it (package doc).
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(body(invalid).at("/error/code").asString()).isEqualTo("INVALID_JSON");
    assertThat(body(plain).get("body").isNull()).isTrue();
    assertThat(body(empty).get("body").isNull()).isTrue();
  }

  @Test
  void malformedQueryStringIs400() throws IOException {
    III iii = worker();
    route(iii, "GET", "/echo", "api::echo", RestApiTest::echo);

    // java.net.URI refuses to build this target, so the request is written by hand.
    try (Socket socket = new Socket("127.0.0.1", engine.httpPort())) {
      socket.setSoTimeout((int) HTTP_TIMEOUT.toMillis());
      socket
          .getOutputStream()
          .write(
              "GET /echo?bad=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(reply).startsWith("HTTP/1.1 400 ");
    }
  }

  @Test
  void directResponseBodyAndStatusFollowTheOfficialRules() {
    III iii = worker();
    Map<String, Object> nullBody = new LinkedHashMap<>();
    nullBody.put("status_code", 202);
    nullBody.put("body", null);
    route(iii, "GET", "missing-body", "api::missing", in -> Map.of("status_code", 204));
    route(iii, "GET", "null-body", "api::null", in -> nullBody);
    route(iii, "GET", "string-body", "api::string", in -> Map.of("body", "hi"));
    route(iii, "GET", "array", "api::array", in -> List.of(1, 2));
    route(iii, "GET", "bad-status", "api::bad", in -> Map.of("status_code", 42, "body", 1));
    route(iii, "GET", "camel", "api::camel", in -> Map.of("statusCode", 418, "status", 418));

    assertThat(get("/missing-body").statusCode()).isEqualTo(204);
    HttpResponse<String> nulled = get("/null-body");
    assertThat(nulled.statusCode()).isEqualTo(202);
    assertThat(nulled.body()).isEqualTo("null");
    assertThat(get("/string-body").body()).isEqualTo("\"hi\"");
    HttpResponse<String> array = get("/array");
    assertThat(array.statusCode()).isEqualTo(200);
    assertThat(array.body()).isEqualTo("{}");
    HttpResponse<String> bad = get("/bad-status");
    assertThat(bad.statusCode()).isEqualTo(200);
    assertThat(bad.body()).isEqualTo("1");
    HttpResponse<String> camel = get("/camel");
    assertThat(camel.statusCode()).isEqualTo(200);
    assertThat(camel.body()).isEqualTo("{}");
  }

  @Test
  void directResponseHeadersAreAppliedAndOnlyStringValuesCount() {
    III iii = worker();
    route(
        iii,
        "GET",
        "page",
        "api::page",
        in ->
            Map.of(
                "headers",
                Map.of("Content-Type", "text/html", "X-Count", 3, "X-Ok", "yes", "Bad Name", "x"),
                "body",
                "<p>"));

    HttpResponse<String> response = get("/page");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/html");
    assertThat(response.headers().firstValue("x-ok")).hasValue("yes");
    assertThat(response.headers().map()).doesNotContainKeys("x-count", "bad name");
    assertThat(response.body())
        .as("a string body under a set content-type is raw")
        .isEqualTo("<p>");
  }

  @Test
  void routesMatchExactlyWithStaticSegmentsFirstAndDecodedParameters() {
    III iii = worker();
    route(iii, "GET", "/users/:id", "api::user", in -> Map.of("body", in));
    route(iii, "GET", "users/me", "api::me", in -> Map.of("body", "me"));
    route(iii, "GET", "files/{name}", "api::file", in -> Map.of("body", in));
    route(iii, "GET", "/", "api::root", in -> Map.of("body", "root"));

    assertThat(get("/users/me").body()).isEqualTo("\"me\"");
    JsonNode user = body(get("/users/hello%20world"));
    // The official engine passes the raw segment; this one decodes it once (package doc).
    assertThat(user.at("/path_params/id").asString()).isEqualTo("hello world");
    assertThat(user.get("path").asString()).isEqualTo("/users/:id");
    assertThat(body(get("/files/a.txt")).get("path_params").isEmpty()).isTrue();
    assertThat(get("/").body()).isEqualTo("\"root\"");
    assertThat(get("/USERS/me").statusCode()).isEqualTo(404);
    assertThat(get("/users/me/").statusCode()).isEqualTo(404);
    assertThat(get("/users").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPathIs404WrongMethodIs405AndHeadOnGetIs404NotFound() {
    III iii = worker();
    route(iii, "GET", "thing", "api::get", in -> Map.of("body", "got"));
    route(iii, "DELETE", "thing", "api::delete", in -> Map.of("body", "deleted"));

    HttpResponse<String> unknown = get("/nothing");
    HttpResponse<String> wrongMethod = postJson("/thing", "{}");
    HttpResponse<String> head =
        send(request("/thing").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(body(unknown))
        .isEqualTo(parse(json("{'error':{'code':'NOT_FOUND','message':'Not Found'}}")));
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.body()).isEmpty();
    assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET,HEAD,DELETE");
    assertThat(head.statusCode()).isEqualTo(404);
    assertThat(head.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(send(request("/thing").DELETE().build()).body()).isEqualTo("\"deleted\"");
  }

  @Test
  void lastRegistrationOfAMethodAndPathWinsAndUnregisteringRemovesTheRoute() {
    III iii = worker();
    Trigger first = route(iii, "GET", "/dup", "api::first", in -> Map.of("body", "first"));
    Trigger second = route(iii, "get", "dup", "api::second", in -> Map.of("body", "second"));

    assertThat(get("/dup").body()).isEqualTo("\"second\"");

    first.unregister();
    sync(iii);
    assertThat(get("/dup").body()).isEqualTo("\"second\"");

    second.unregister();
    sync(iii);
    assertThat(get("/dup").statusCode()).isEqualTo(404);
  }

  @Test
  void routesOfADisconnectedWorkerDisappear() {
    III owner = worker();
    route(owner, "GET", "/owned", "api::owned", in -> Map.of("body", "ok"));
    assertThat(get("/owned").statusCode()).isEqualTo(200);

    owner.shutdown().join();

    await()
        .atMost(RawWorker.TIMEOUT)
        .untilAsserted(() -> assertThat(get("/owned").statusCode()).isEqualTo(404));
  }

  @Test
  void invalidTriggersServeNothingAndValidOnesStillWork() {
    III iii = worker();
    iii.registerFunction("api::ok", in -> Map.of("body", "ok"));
    iii.registerTrigger("http", "api::ok", Map.of("http_method", "GET"));
    iii.registerTrigger("http", "api::ok", Map.of("api_path", "/wild/*rest"));
    iii.registerTrigger("http", "api::ok", Map.of("api_path", "/x/:a/one"));
    iii.registerTrigger("http", "api::ok", Map.of("api_path", "/x/:b/one"));
    iii.registerTrigger("http", "api::ok", Map.of("api_path", "/y", "http_method", "TRACE"));
    sync(iii);

    assertThat(get("/x/1/one").statusCode()).isEqualTo(200);
    assertThat(get("/x/1/two").statusCode()).isEqualTo(404);
    assertThat(get("/wild/a").statusCode()).isEqualTo(404);
    assertThat(get("/y").statusCode()).isEqualTo(404);
  }

  @Test
  void refusedTriggersAreReportedToTheRegistrantWithTheOfficialMessages() {
    RawWorker worker = connect();
    registerFunction(worker, "api::f");
    String trigger =
        json(
            "{'type':'registertrigger','id':'%s','trigger_type':'http','function_id':'api::f',"
                + "'config':%s}");

    worker.send(trigger.formatted("no-path", json("{'http_method':'GET'}")));
    JsonNode missing = worker.awaitType("triggerregistrationresult");
    worker.sendAndSync(trigger.formatted("first", json("{'api_path':'/orders/:id'}")));
    worker.send(trigger.formatted("second", json("{'api_path':'orders/:orderId'}")));
    JsonNode conflict = worker.awaitType("triggerregistrationresult");

    assertThat(missing.path("id").asString()).isEqualTo("no-path");
    assertThat(missing.at("/error/message").asString())
        .isEqualTo("api_path is required for http triggers");
    assertThat(conflict.path("id").asString()).isEqualTo("second");
    assertThat(conflict.at("/error/code").asString()).isEqualTo("trigger_registration_failed");
    assertThat(conflict.at("/error/message").asString())
        .isEqualTo(
            "Route 'GET orders/:orderId' conflicts with already-registered route"
                + " 'GET /orders/:id': routes with identical structure but different"
                + " path-parameter names are not supported");
    CompletableFuture<HttpResponse<String>> first = sendAsync(request("/orders/1").GET().build());
    worker.reply(worker.awaitInvocation("api::f"), json("{'body':'first'}"));
    assertThat(first.join().body()).as("the first route still serves").isEqualTo("\"first\"");
  }

  @Test
  void failingOrMissingFunctionGives500WithTheErrorAndAnErrorId() {
    III iii = worker();
    route(
        iii,
        "GET",
        "boom",
        "api::boom",
        in -> {
          throw new IIIException("bad_thing", "the detail");
        });
    route(iii, "GET", "ghost", "api::ghost");

    HttpResponse<String> boom = get("/boom");
    HttpResponse<String> ghost = get("/ghost");

    for (HttpResponse<String> response : List.of(boom, ghost)) {
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(keys(body(response))).containsExactly("error");
      assertThat(keys(body(response).get("error"))).containsExactly("code", "error_id", "message");
      assertThat(body(response).at("/error/error_id").asString()).matches("[0-9a-f]{1,12}");
    }
    assertThat(body(boom).at("/error/code").asString()).isEqualTo("bad_thing");
    assertThat(body(boom).at("/error/message").asString()).isEqualTo("the detail");
    assertThat(body(ghost).at("/error/code").asString()).isEqualTo("function_not_found");
    assertThat(body(ghost).at("/error/message").asString())
        .isEqualTo("Function api::ghost not found");
  }

  @Test
  void conditionFunctionDecidesWhetherTheHandlerRuns() {
    III iii = worker();
    iii.registerFunction("api::handler", in -> Map.of("body", "handled"));
    iii.registerFunction(
        "cond::flag",
        in -> {
          Map<?, ?> request = (Map<?, ?>) in;
          // The condition sees the request without the channel references.
          if (request.containsKey("request_body") || request.containsKey("response")) {
            throw new IllegalStateException("condition saw channel refs");
          }
          return !"no".equals(((Map<?, ?>) request.get("query_params")).get("go"));
        });
    iii.registerFunction(
        "cond::boom",
        in -> {
          throw new IIIException("COND", "nope");
        });
    iii.registerTrigger(
        "http",
        "api::handler",
        Map.of("api_path", "guarded", "http_method", "GET", "condition_function_id", "cond::flag"));
    iii.registerTrigger(
        "http",
        "api::handler",
        Map.of("api_path", "broken", "http_method", "GET", "condition_function_id", "cond::boom"));
    sync(iii);

    assertThat(get("/guarded?go=yes").body()).isEqualTo("\"handled\"");
    HttpResponse<String> skipped = get("/guarded?go=no");
    assertThat(skipped.statusCode()).isEqualTo(422);
    assertThat(body(skipped))
        .isEqualTo(
            parse(
                json(
                    "{'error':{'code':'CONDITION_NOT_MET','message':'Request condition not met'},"
                        + "'skipped':true}")));
    HttpResponse<String> broken = get("/broken");
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(body(broken).at("/error/code").asString()).isEqualTo("COND");
    assertThat(body(broken).at("/error/message").asString()).isEqualTo("nope");
    assertThat(body(broken).at("/error/error_id").asString()).isNotEmpty();
  }

  @Test
  void theDeprecatedConditionKeyStillGuardsTheRouteWithAWarning() {
    III iii = worker();
    iii.registerFunction("api::handler", in -> Map.of("body", "handled"));
    iii.registerFunction("cond::no", in -> false);
    try (EngineLogCapture logs = new EngineLogCapture()) {
      Trigger trigger =
          iii.registerTrigger(
              "http",
              "api::handler",
              Map.of("api_path", "old", "http_method", "GET", "_condition_path", "cond::no"));
      sync(iii);

      assertThat(logs.warnings())
          .filteredOn(line -> line.contains(trigger.id()))
          .singleElement()
          .asString()
          .contains("_condition_path", "ignore", "condition_function_id");
    }
    assertThat(get("/old").statusCode()).isEqualTo(422);
  }
}
