package dev.iii.engine.modules.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.router.InvocationRouter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The v0.22.1 rules of the REST API's pieces, checked without a server: direct responses ({@code
 * types.rs}), middleware answers and timeouts ({@code views.rs}), route conflicts ({@code
 * api_core.rs}).
 */
class HttpRulesTest {

  private static JsonNode json(String singleQuoted) {
    return HttpRequestMapper.MAPPER.readTree(singleQuoted.replace('\'', '"'));
  }

  private static HttpOutcome.Complete complete(HttpOutcome outcome) {
    assertThat(outcome).isInstanceOf(HttpOutcome.Complete.class);
    return (HttpOutcome.Complete) outcome;
  }

  private static String text(HttpOutcome.Complete outcome) {
    return new String(outcome.body(), StandardCharsets.UTF_8);
  }

  private static HttpRoute route(String method, String apiPath) {
    return new HttpRoute(
        "t-" + method + apiPath,
        "f",
        apiPath,
        method,
        HttpRoute.parse(apiPath),
        null,
        List.of(),
        null);
  }

  // ------------------------------------------------------------------ direct responses

  @Test
  void aStringBodyIsRawWhenTheFunctionSetsAContentTypeInAnyCase() {
    HttpOutcome.Complete raw =
        complete(
            HttpResultMapper.direct(json("{'headers':{'CONTENT-TYPE':'text/csv'},'body':'a,b'}")));
    HttpOutcome.Complete quoted = complete(HttpResultMapper.direct(json("{'body':'a,b'}")));

    assertThat(text(raw)).isEqualTo("a,b");
    assertThat(raw.headers().getAll("content-type")).containsExactly("text/csv");
    assertThat(text(quoted)).isEqualTo("\"a,b\"");
    assertThat(quoted.headers().get("content-type")).isEqualTo("application/json");
  }

  @Test
  void otherBodiesFollowTheContentType() {
    HttpOutcome.Complete asText =
        complete(
            HttpResultMapper.direct(
                json("{'headers':{'content-type':'text/plain'},'body':{'a':[1,true]}}")));
    HttpOutcome.Complete asJson =
        complete(
            HttpResultMapper.direct(
                json(
                    "{'headers':{'content-type':'application/json; charset=utf-8'},"
                        + "'body':{'a':1}}")));
    HttpOutcome.Complete nullBody =
        complete(
            HttpResultMapper.direct(json("{'headers':{'content-type':'text/plain'},'body':null}")));
    HttpOutcome.Complete missingBody =
        complete(HttpResultMapper.direct(json("{'headers':{'content-type':'text/plain'}}")));

    assertThat(text(asText)).isEqualTo("{\"a\":[1,true]}");
    assertThat(asText.headers().getAll("content-type")).containsExactly("text/plain");
    assertThat(text(asJson)).isEqualTo("{\"a\":1}");
    assertThat(asJson.headers().getAll("content-type"))
        .containsExactly("application/json; charset=utf-8");
    assertThat(nullBody.body()).isEmpty();
    assertThat(text(missingBody)).isEqualTo("{}");
  }

  @Test
  void headersMayBeAListOfLinesAndNamesMayRepeat() {
    HttpOutcome.Complete outcome =
        complete(
            HttpResultMapper.direct(
                json(
                    "{'headers':['Set-Cookie: a=1','Set-Cookie: b=2',' X-Spaced :  v ',"
                        + "'no colon',': empty name',7,'Content-Length: 99'],'body':{}}")));

    assertThat(outcome.headers().getAll("set-cookie")).containsExactly("a=1", "b=2");
    assertThat(outcome.headers().get("x-spaced")).isEqualTo("v");
    assertThat(outcome.headers().contains("content-length"))
        .as("framing stays the engine's")
        .isFalse();
    assertThat(outcome.headers().names())
        .containsExactlyInAnyOrder("Set-Cookie", "X-Spaced", "content-type");
  }

  @Test
  void statusCodesAreReadAsTheOfficialEngineReadsThem() {
    assertThat(HttpResultMapper.status(json("201"))).isEqualTo(201);
    assertThat(HttpResultMapper.status(json("999"))).isEqualTo(999);
    assertThat(HttpResultMapper.status(json("1000"))).isEqualTo(200);
    assertThat(HttpResultMapper.status(json("99"))).isEqualTo(200);
    assertThat(HttpResultMapper.status(json("-404"))).isEqualTo(200);
    assertThat(HttpResultMapper.status(json("201.0"))).isEqualTo(200);
    assertThat(HttpResultMapper.status(json("'201'"))).isEqualTo(200);
    assertThat(HttpResultMapper.status(json("65736"))).as("cut to 16 bits: 200").isEqualTo(200);
    assertThat(HttpResultMapper.status(json("65937"))).as("cut to 16 bits: 401").isEqualTo(401);
    assertThat(HttpResultMapper.status(json("18446744073709551615"))).isEqualTo(200);
  }

  // ------------------------------------------------------------------ middleware

  /** An engine with functions a test defines, and a router to call them. */
  private static final class Functions {
    final FunctionRegistry registry = new FunctionRegistry();
    final InvocationRouter router = new InvocationRouter(registry, new TriggerRegistry());
    final List<String> called = new CopyOnWriteArrayList<>();

    Functions answering(String id, String resultJson) {
      return with(id, CompletableFuture.completedFuture(json(resultJson)));
    }

    Functions with(String id, CompletableFuture<JsonNode> result) {
      registry.register(
          RegisteredFunction.builtin(
              id,
              id,
              input -> {
                called.add(id);
                return result;
              }));
      return this;
    }
  }

  private static ObjectNode middlewareInput() {
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.putObject("headers");
    return HttpMiddleware.input(request);
  }

  private static HttpOutcome runMiddleware(Functions functions, String... ids) {
    return new HttpMiddleware(functions.router, Duration.ofMillis(300))
        .run(route("GET", "/m"), List.of(ids), middlewareInput(), () -> false)
        .join();
  }

  @Test
  void continueAndUnknownAnswersLetTheRequestThroughInOrder() {
    Functions functions =
        new Functions()
            .answering("mw::a", "{'action':'continue'}")
            .answering("mw::b", "{'action':'bogus'}")
            .answering("mw::c", "null")
            .answering("mw::d", "[1]");

    assertThat(runMiddleware(functions, "mw::a", "mw::b", "mw::c", "mw::d")).isNull();
    assertThat(functions.called).containsExactly("mw::a", "mw::b", "mw::c", "mw::d");
  }

  @Test
  void respondAnswersTheRequestAndStopsTheChain() {
    Functions functions =
        new Functions()
            .answering(
                "mw::deny",
                "{'action':'respond','response':{'status_code':401,'body':{'error':'no'},"
                    + "'headers':{'www-authenticate':'Bearer','content-type':'application/problem+json'}}}")
            .answering("mw::after", "{'action':'continue'}");

    HttpOutcome.Complete outcome = complete(runMiddleware(functions, "mw::deny", "mw::after"));

    assertThat(outcome.status().code()).isEqualTo(401);
    assertThat(text(outcome)).isEqualTo("{\"error\":\"no\"}");
    assertThat(outcome.headers().getAll("content-type"))
        .containsExactly("application/problem+json");
    assertThat(outcome.headers().get("www-authenticate")).isEqualTo("Bearer");
    assertThat(functions.called).containsExactly("mw::deny");
  }

  @Test
  void aRespondWithoutDetailsOrWithNonStringHeadersUsesTheDefaults() {
    HttpOutcome.Complete bare =
        complete(
            runMiddleware(new Functions().answering("mw::r", "{'action':'respond'}"), "mw::r"));
    HttpOutcome.Complete mixedHeaders =
        complete(
            runMiddleware(
                new Functions()
                    .answering(
                        "mw::r",
                        "{'action':'respond','response':{'status_code':5,'body':'x',"
                            + "'headers':{'x-a':'1','x-n':2}}}"),
                "mw::r"));

    assertThat(bare.status().code()).isEqualTo(200);
    assertThat(text(bare)).isEqualTo("null");
    assertThat(bare.headers().get("content-type")).isEqualTo("application/json");
    assertThat(mixedHeaders.status().code()).isEqualTo(200);
    assertThat(text(mixedHeaders)).as("always JSON").isEqualTo("\"x\"");
    assertThat(mixedHeaders.headers().contains("x-a"))
        .as("one non-string value drops them all")
        .isFalse();
  }

  @Test
  void aFailedMiddlewareIs500WithItsErrorAndASlowOneIs504() {
    CompletableFuture<JsonNode> failed = new CompletableFuture<>();
    failed.completeExceptionally(new InvocationError("AUTH", "denied"));
    Functions functions =
        new Functions().with("mw::fail", failed).with("mw::hang", new CompletableFuture<>());

    HttpOutcome.Complete error = complete(runMiddleware(functions, "mw::fail"));
    HttpOutcome.Complete missing = complete(runMiddleware(functions, "mw::missing"));
    HttpOutcome.Complete slow = complete(runMiddleware(functions, "mw::hang"));

    assertThat(error.status().code()).isEqualTo(500);
    JsonNode errorBody = HttpRequestMapper.MAPPER.readTree(error.body());
    assertThat(errorBody.at("/error/code").asString()).isEqualTo("AUTH");
    assertThat(errorBody.at("/error/message").asString()).isEqualTo("denied");
    assertThat(errorBody.at("/error/error_id").asString()).matches("[0-9a-f]{1,12}");
    assertThat(HttpRequestMapper.MAPPER.readTree(missing.body()).at("/error/code").asString())
        .isEqualTo("function_not_found");
    assertThat(slow.status().code()).isEqualTo(504);
    assertThat(HttpRequestMapper.MAPPER.readTree(slow.body()))
        .isEqualTo(json("{'error':{'code':'MIDDLEWARE_TIMEOUT','message':'Middleware timeout'}}"));
  }

  @Test
  void theMiddlewareInputHasTheOfficialShape() {
    assertThat(middlewareInput())
        .isEqualTo(json("{'context':{},'phase':'preHandler','request':{'headers':{}}}"));
    assertThat(List.copyOf(middlewareInput().propertyNames()))
        .containsExactly("context", "phase", "request");
  }

  // ------------------------------------------------------------------ route conflicts

  @Test
  void routesOfOneShapeWithOtherParameterNamesConflictAsOfficially() {
    RouteTable table = new RouteTable();
    assertThat(table.put(route("GET", "/users/:id"))).isNull();

    assertThat(table.put(route("GET", "users/:userId")))
        .isEqualTo(
            "Route 'GET users/:userId' conflicts with already-registered route 'GET /users/:id':"
                + " routes with identical structure but different path-parameter names are not"
                + " supported");
    assertThat(table.put(route("POST", "/users/:userId")))
        .as("across methods too, where the official router would fail")
        .contains("conflicts");
    assertThat(table.put(route("POST", "/users/:id"))).isNull();
    assertThat(table.put(route("GET", "/users/:id/posts"))).isNull();
    assertThat(table.put(route("GET", "/users/:other/friends")))
        .as("other shapes share a prefix freely")
        .isNull();
    assertThat(table.put(route("GET", "/users/me"))).isNull();
  }
}
