package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.HttpFunctionsConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * HTTP-invoked functions against a real local HTTP server: the outbound request (method, body,
 * headers in order, auth with an independently checked HMAC signature), the mapping of every kind
 * of response to a result or error code, the timeout, the URL checks at registration and per call,
 * and cleanup when the registering worker leaves.
 */
class HttpFunctionTest {

  private static final Map<String, String> ENV =
      Map.of("HOOK_SECRET", "s3cr3t", "HOOK_TOKEN", "t0k3n", "HOOK_KEY", "k3y");

  /** One request as the server saw it. */
  private record Recorded(
      String method, String uri, List<Map.Entry<String, String>> headers, byte[] body) {

    List<String> headerNames() {
      return headers.stream().map(e -> e.getKey().toLowerCase()).toList();
    }

    String header(String name) {
      return headers.stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }
  }

  private final LinkedBlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
  private DisposableServer server;
  private EmbeddedEngine engine;
  private final List<RawWorker> workers = new ArrayList<>();

  @BeforeEach
  void start() {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(
                            body -> {
                              requests.add(
                                  new Recorded(
                                      request.method().name(),
                                      request.uri(),
                                      List.copyOf(request.requestHeaders().entries()),
                                      body));
                              return answer(request.path(), response);
                            }))
            .bindNow();
    engine = startEngine(HttpFunctionsConfig.development().withEnvironment(ENV::get));
  }

  /** What each path answers, one per row of the response mapping. */
  private static Mono<Void> answer(
      String path, reactor.netty.http.server.HttpServerResponse response) {
    return switch (path) {
      case "echo" -> json(response, 200, "{\"echoed\":true,\"n\":42}");
      case "empty" -> response.status(204).send();
      case "not-json" -> response.status(200).sendString(Mono.just("hello")).then();
      case "coded-error" ->
          json(response, 422, "{\"error\":{\"code\":\"out_of_stock\",\"message\":\"No more\"}}");
      case "error-without-fields" -> json(response, 400, "{\"error\":\"boom\"}");
      case "plain-error" -> response.status(500).sendString(Mono.just("oops")).then();
      case "redirect" ->
          response.status(302).header("location", "/echo").sendString(Mono.just("moved")).then();
      case "slow" -> Mono.delay(Duration.ofSeconds(5)).then(json(response, 200, "{}"));
      default -> response.status(404).send();
    };
  }

  private static Mono<Void> json(
      reactor.netty.http.server.HttpServerResponse response, int status, String body) {
    return response
        .status(HttpResponseStatus.valueOf(status))
        .header("content-type", "application/json")
        .sendString(Mono.just(body))
        .then();
  }

  private static EmbeddedEngine startEngine(HttpFunctionsConfig http) {
    EngineConfig config =
        EngineConfig.development()
            .withHost("127.0.0.1")
            .withPort(0)
            .withRestApi(null)
            .withHttpFunctions(http);
    return EmbeddedEngine.builder().config(config).streamPort(0).build().start();
  }

  @AfterEach
  void stop() {
    workers.forEach(RawWorker::abort);
    engine.close();
    server.disposeNow();
  }

  private RawWorker connect(EmbeddedEngine target) {
    RawWorker worker = RawWorker.connect(target);
    workers.add(worker);
    return worker;
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + "/" + path;
  }

  private static String registration(String id, String invocationJson) {
    return "{\"type\":\"registerfunction\",\"id\":\""
        + id
        + "\",\"description\":\"An HTTP function\","
        + "\"invocation\":"
        + invocationJson
        + "}";
  }

  private void registerHttp(RawWorker worker, String id, String invocationJson) {
    worker.sendAndSync(registration(id, invocationJson));
  }

  private Recorded nextRequest() throws InterruptedException {
    Recorded request = requests.poll(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the server").isNotNull();
    return request;
  }

  @Test
  void theRequestCarriesTheDataAndTheEngineHeadersInOrderWithAnHmacSignature() throws Exception {
    RawWorker worker = connect(engine);
    registerHttp(
        worker,
        "hook::echo",
        "{\"url\":\""
            + url("echo")
            + "\",\"method\":\"PUT\",\"timeout_ms\":3000,"
            + "\"headers\":{\"X-Custom-Header\":\"test-value\"},"
            + "\"auth\":{\"type\":\"hmac\",\"secret_key\":\"HOOK_SECRET\"}}");

    long before = Instant.now().getEpochSecond();
    JsonNode answer = worker.call("hook::echo", "{\"order\":7,\"items\":[\"a\",\"b\"]}");
    Recorded request = nextRequest();

    assertThat(answer.path("result"))
        .isEqualTo(RawWorker.MAPPER.readTree("{\"echoed\":true,\"n\":42}"));
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.uri()).isEqualTo("/echo");
    String body = new String(request.body(), StandardCharsets.UTF_8);
    assertThat(body)
        .as("compact JSON of the data, as the caller sent it plus its worker id")
        .isEqualTo(
            "{\"order\":7,\"items\":[\"a\",\"b\"],\"_caller_worker_id\":\""
                + worker.workerId()
                + "\"}");
    List<String> names = request.headerNames();
    assertThat(names)
        .containsSubsequence(
            "content-type",
            "x-iii-function-path",
            "x-iii-invocation-id",
            "x-iii-timestamp",
            "x-custom-header",
            "x-iii-signature");
    assertThat(request.header("content-type")).isEqualTo("application/json");
    assertThat(request.header("x-iii-function-path")).isEqualTo("hook::echo");
    assertThat(request.header("x-iii-invocation-id"))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(request.header("x-custom-header")).isEqualTo("test-value");
    long timestamp = Long.parseLong(request.header("x-iii-timestamp"));
    assertThat(timestamp).isBetween(before, Instant.now().getEpochSecond());
    assertThat(request.header("content-length")).isEqualTo(String.valueOf(request.body().length));

    // The signature, computed here without the engine's code.
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("s3cr3t".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signed = timestamp + ":" + Base64.getEncoder().encodeToString(request.body());
    assertThat(request.header("x-iii-signature"))
        .isEqualTo(
            "sha256="
                + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void eachCallGetsItsOwnInvocationIdAndGetSendsTheBodyToo() throws Exception {
    RawWorker worker = connect(engine);
    registerHttp(worker, "hook::get", "{\"url\":\"" + url("echo") + "\",\"method\":\"GET\"}");

    worker.callResult("hook::get", "null");
    worker.callResult("hook::get", "null");
    Recorded first = nextRequest();
    Recorded second = nextRequest();

    assertThat(first.method()).isEqualTo("GET");
    assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("null");
    assertThat(first.header("x-iii-invocation-id"))
        .isNotEqualTo(second.header("x-iii-invocation-id"));
    assertThat(first.header("x-iii-signature")).as("no auth configured").isNull();
  }

  @Test
  void bearerAndApiKeyAuthComeFromTheEnvironment() throws Exception {
    RawWorker worker = connect(engine);
    registerHttp(
        worker,
        "hook::bearer",
        "{\"url\":\""
            + url("echo")
            + "\",\"auth\":{\"type\":\"bearer\",\"token_key\":\"HOOK_TOKEN\"}}");
    registerHttp(
        worker,
        "hook::apikey",
        "{\"url\":\""
            + url("echo")
            + "\",\"auth\":{\"type\":\"api_key\",\"header\":\"X-Api-Key\","
            + "\"value_key\":\"HOOK_KEY\"}}");

    worker.callResult("hook::bearer", "{}");
    Recorded bearer = nextRequest();
    worker.callResult("hook::apikey", "{}");
    Recorded apiKey = nextRequest();

    assertThat(bearer.method()).as("POST by default").isEqualTo("POST");
    assertThat(bearer.header("authorization")).isEqualTo("Bearer t0k3n");
    assertThat(apiKey.header("x-api-key")).isEqualTo("k3y");
  }

  @Test
  void aMissingSecretRefusesTheRegistration() {
    RawWorker worker = connect(engine);
    registerHttp(
        worker,
        "hook::nosecret",
        "{\"url\":\"" + url("echo") + "\",\"auth\":{\"type\":\"bearer\",\"token_key\":\"UNSET\"}}");

    assertThat(worker.call("hook::nosecret", "{}").path("error").path("code").asString())
        .isEqualTo("function_not_found");
  }

  @Test
  void responsesMapToResultsAndErrorsAsInTheOfficialEngine() {
    RawWorker worker = connect(engine);
    for (String path :
        List.of(
            "empty",
            "not-json",
            "coded-error",
            "error-without-fields",
            "plain-error",
            "redirect")) {
      registerHttp(worker, "hook::" + path, "{\"url\":\"" + url(path) + "\"}");
    }

    JsonNode empty = worker.call("hook::empty", "{}");
    assertThat(empty.has("error")).isFalse();
    assertThat(empty.path("result").isMissingNode() || empty.path("result").isNull()).isTrue();

    assertThat(error(worker, "hook::not-json").path("code").asString())
        .isEqualTo("invalid_response");
    assertThat(error(worker, "hook::coded-error"))
        .isEqualTo(
            RawWorker.MAPPER.readTree("{\"code\":\"out_of_stock\",\"message\":\"No more\"}"));
    assertThat(error(worker, "hook::error-without-fields"))
        .isEqualTo(
            RawWorker.MAPPER.readTree(
                "{\"code\":\"http_error\",\"message\":\"HTTP request failed\"}"));
    assertThat(error(worker, "hook::plain-error"))
        .isEqualTo(
            RawWorker.MAPPER.readTree(
                "{\"code\":\"http_error\",\"message\":\"HTTP 500 Internal Server Error\"}"));
    assertThat(error(worker, "hook::redirect"))
        .as("redirects are not followed")
        .isEqualTo(
            RawWorker.MAPPER.readTree("{\"code\":\"http_error\",\"message\":\"HTTP 302 Found\"}"));
  }

  @Test
  void connectionFailuresAndTimeoutsAreRequestFailures() {
    RawWorker worker = connect(engine);
    DisposableServer closed = HttpServer.create().host("127.0.0.1").port(0).bindNow();
    int deadPort = closed.port();
    closed.disposeNow();
    registerHttp(worker, "hook::dead", "{\"url\":\"http://127.0.0.1:" + deadPort + "/x\"}");
    registerHttp(worker, "hook::slow", "{\"url\":\"" + url("slow") + "\",\"timeout_ms\":300}");

    JsonNode dead = error(worker, "hook::dead");
    assertThat(dead.path("code").asString()).isEqualTo("http_request_failed");
    assertThat(dead.path("message").asString()).contains("127.0.0.1:" + deadPort);

    long start = System.nanoTime();
    JsonNode slow = error(worker, "hook::slow");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(slow.path("code").asString()).isEqualTo("http_request_failed");
    assertThat(slow.path("message").asString()).contains("timed out");
    assertThat(elapsedMs).isBetween(250L, 4000L);
  }

  @Test
  void aUrlOutsideTheAllowlistIsRefusedAtRegistration() {
    RawWorker worker = connect(engine);
    registerHttp(worker, "hook::elsewhere", "{\"url\":\"http://example.com/hook\"}");
    registerHttp(
        worker, "hook::badmethod", "{\"url\":\"" + url("echo") + "\",\"method\":\"post\"}");

    assertThat(error(worker, "hook::elsewhere").path("code").asString())
        .isEqualTo("function_not_found");
    assertThat(error(worker, "hook::badmethod").path("code").asString())
        .as("methods are uppercase only")
        .isEqualTo("function_not_found");
    assertThat(requests).isEmpty();
  }

  @Test
  void theOfficialSecurityChecksRefusePrivateAddressesAndPlainHttp() {
    // Blocking private addresses refuses 127.0.0.1 at registration; localhost resolves to it.
    try (EmbeddedEngine strict =
        startEngine(new HttpFunctionsConfig(List.of("localhost", "127.0.0.1"), true, false))) {
      RawWorker worker = connect(strict);
      registerHttp(worker, "hook::private", "{\"url\":\"" + url("echo") + "\"}");
      registerHttp(
          worker, "hook::named", "{\"url\":\"http://localhost:" + server.port() + "/echo\"}");

      assertThat(error(worker, "hook::private").path("code").asString())
          .isEqualTo("function_not_found");
      assertThat(error(worker, "hook::named").path("code").asString())
          .isEqualTo("function_not_found");
    }
    try (EmbeddedEngine https = startEngine(new HttpFunctionsConfig(List.of("*"), false, true))) {
      RawWorker worker = connect(https);
      registerHttp(worker, "hook::plain", "{\"url\":\"" + url("echo") + "\"}");
      assertThat(error(worker, "hook::plain").path("code").asString())
          .isEqualTo("function_not_found");
    }
    assertThat(requests).isEmpty();
  }

  @Test
  void registeredFunctionsAreListedAndGoAwayWithTheirWorker() {
    RawWorker owner = connect(engine);
    RawWorker caller = connect(engine);
    registerHttp(owner, "hook::owned", "{\"url\":\"" + url("echo") + "\"}");

    JsonNode info = null;
    for (JsonNode function : caller.callResult("engine::functions::list", "{}").path("functions")) {
      if ("hook::owned".equals(function.path("function_id").asString())) {
        info = function;
      }
    }
    assertThat(info).as("listed").isNotNull();
    assertThat(info.path("description").asString()).isEqualTo("An HTTP function");
    assertThat(caller.callResult("hook::owned", "{}").path("echoed").asBoolean()).isTrue();

    owner.close();
    EngineTestSupport.awaitDisconnected(caller, owner);

    assertThat(error(caller, "hook::owned").path("code").asString())
        .isEqualTo("function_not_found");
  }

  @Test
  void withoutTheModuleRegistrationsAreIgnored() {
    EngineConfig config =
        EngineConfig.development()
            .withHost("127.0.0.1")
            .withPort(0)
            .withRestApi(null)
            .withHttpFunctions(null);
    try (EmbeddedEngine bare =
        EmbeddedEngine.builder().config(config).streamPort(0).build().start()) {
      RawWorker worker = connect(bare);
      registerHttp(worker, "hook::echo", "{\"url\":\"" + url("echo") + "\"}");

      assertThat(error(worker, "hook::echo").path("code").asString())
          .isEqualTo("function_not_found");
    }
  }

  private static JsonNode error(RawWorker worker, String functionId) {
    JsonNode answer = worker.call(functionId, "{}");
    assertThat(answer.has("error")).as("%s answers with an error: %s", functionId, answer).isTrue();
    return answer.path("error");
  }
}
