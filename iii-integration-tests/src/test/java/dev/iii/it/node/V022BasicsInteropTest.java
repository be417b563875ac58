package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitInvoked;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.failure;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.SDK;
import static dev.iii.it.node.V022.awaitRoute;
import static dev.iii.it.node.V022.json;
import static dev.iii.it.node.V022.request;
import static dev.iii.it.node.V022.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.IIIException;
import dev.iii.TriggerConfig;
import dev.iii.TriggerHandler;
import dev.iii.channel.Channel;
import dev.iii.channel.ChannelReader;
import dev.iii.it.node.Interop.Fixture;
import dev.iii.protocol.FunctionInfo;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The basics with the official Node SDK 0.22.1, which reshaped its API (registerWorker, {@code
 * trigger({function_id, payload, action})}, {@code registerFunction(id, handler, options)}, helpers
 * in sub-paths): it connects to our engine, calls Java and is called by Java (result, void, errors,
 * missing function), lists Java functions through the built-ins it now has to call itself,
 * registers and serves HTTP and custom triggers across languages, and moves channel data both ways.
 * Everything here works on the v0.9.0 wire, so it proves the 0.22.1 driver itself.
 */
class V022BasicsInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("v022-basics");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  @Test
  void connectsAndKnowsItsWorkerId() {
    Fixture f = fixtures.get(SDK);
    JsonNode status = f.node().result("status", Map.of());
    assertThat(status.path("connectionState").asString()).isEqualTo("connected");
    assertThat(status.path("workerId").asString()).isEqualTo(f.nodeWorkerId()).isNotBlank();
  }

  @Test
  void nodeCallsJavaAndGetsItsResult() {
    Fixture f = fixtures.get(SDK);
    String id = uniqueId("java::greet");
    CompletableFuture<Object> seen = new CompletableFuture<>();
    f.java()
        .registerFunction(
            id,
            input -> {
              seen.complete(input);
              return Map.of("greeting", "hello " + ((Map<?, ?>) input).get("name"));
            });
    awaitNodeSees(f.node(), id);

    JsonNode result =
        f.node().result("call", Map.of("function_id", id, "data", Map.of("name", "Ada")));

    assertThat(result.toString()).isEqualTo("{\"greeting\":\"hello Ada\"}");
    assertThat(get(seen)).isEqualTo(Map.of("name", "Ada", "_caller_worker_id", f.nodeWorkerId()));
  }

  @Test
  void javaCallsNodeAndGetsItsResult() {
    Fixture f = fixtures.get(SDK);
    String echo = uniqueId("node::echo");
    String add = uniqueId("node::add");
    f.node().result("register", Map.of("id", echo, "behavior", "echo"));
    f.node().result("register", Map.of("id", add, "behavior", "add"));
    awaitJavaSees(f.java(), echo, add);

    Map<String, Object> nested =
        Map.of("list", List.of(1, "two", Map.of("three", 3.5)), "ok", true);
    Object echoed = get(f.java().call(echo, nested));
    assertThat(echoed)
        .isEqualTo(
            Map.of(
                "list",
                List.of(1, "two", Map.of("three", 3.5)),
                "ok",
                true,
                "_caller_worker_id",
                f.javaWorkerId()));
    assertThat(get(f.java().call(add, Map.of("a", 2, "b", 40)))).isEqualTo(Map.of("sum", 42));
    // The SDK's handler gets no metadata when the caller sent none.
    assertThat(awaitInvoked(f.node(), echo).has("metadata")).isFalse();
  }

  @Test
  void voidCallsRunTheHandlerOnBothSides() {
    Fixture f = fixtures.get(SDK);
    String javaSink = uniqueId("java::sink");
    String nodeSink = uniqueId("node::sink");
    CompletableFuture<Object> javaSaw = new CompletableFuture<>();
    f.java()
        .registerFunction(
            javaSink,
            input -> {
              javaSaw.complete(input);
              return null;
            });
    f.node().result("register", Map.of("id", nodeSink, "behavior", "echo"));
    awaitNodeSees(f.node(), javaSink, nodeSink);

    JsonNode reply =
        f.node().result("callVoid", Map.of("function_id", javaSink, "data", Map.of("n", 1)));
    assertThat(reply.isNull()).isTrue();
    assertThat(get(javaSaw)).isEqualTo(Map.of("n", 1, "_caller_worker_id", f.nodeWorkerId()));

    f.java().callVoid(nodeSink, Map.of("n", 2));
    assertThat(awaitInvoked(f.node(), nodeSink).path("data").path("n").asInt()).isEqualTo(2);
  }

  @Test
  void errorsCrossInBothDirectionsWithTheirCode() {
    Fixture f = fixtures.get(SDK);
    String javaFails = uniqueId("java::fail");
    String nodeFails = uniqueId("node::fail");
    f.java()
        .registerFunction(
            javaFails,
            input -> {
              throw new IIIException("out_of_stock", "no more ✗");
            });
    f.node().result("register", Map.of("id", nodeFails, "behavior", "fail", "message", "nope ✓"));
    awaitNodeSees(f.node(), javaFails, nodeFails);

    // 0.22.1 wraps the engine's error body in InvocationError: message "<code>: <message>".
    JsonNode error = f.node().error("call", Map.of("function_id", javaFails, "data", Map.of()));
    assertThat(error.path("name").asString()).isEqualTo("InvocationError");
    assertThat(error.path("code").asString()).isEqualTo("out_of_stock");
    assertThat(error.path("message").asString()).isEqualTo("out_of_stock: no more ✗");

    IIIException thrown = failure(f.java().call(nodeFails, Map.of()));
    assertThat(thrown.code()).isEqualTo("invocation_failed");
    assertThat(thrown.getMessage()).contains("nope ✓");

    JsonNode missing =
        f.node().error("call", Map.of("function_id", uniqueId("nobody::home"), "data", Map.of()));
    assertThat(missing.path("code").asString()).isEqualTo("function_not_found");
  }

  @Test
  void eachSideListsTheOthersFunctionsWithDescriptionAndMetadata() {
    Fixture f = fixtures.get(SDK);
    String nodeFn = uniqueId("node::described");
    String javaFn = uniqueId("java::described");
    f.node()
        .result(
            "register",
            Map.of(
                "id",
                nodeFn,
                "behavior",
                "echo",
                "description",
                "Described by Node ✓",
                "metadata",
                Map.of("owner", "node")));
    f.java().registerFunction(javaFn, input -> input, "Described by Java", null);

    awaitJavaSees(f.java(), nodeFn);
    FunctionInfo listed =
        get(f.java().listFunctions()).stream()
            .filter(fn -> fn.functionId().equals(nodeFn))
            .findFirst()
            .orElseThrow();
    assertThat(listed.description()).isEqualTo("Described by Node ✓");
    assertThat(listed.metadata()).isEqualTo(Map.of("owner", "node"));

    // 0.22.1 has no listFunctions(): the driver calls engine::functions::list, as SDK users must.
    awaitNodeSees(f.node(), javaFn);
    JsonNode row = find(f.node().result("listFunctions", Map.of()), "function_id", javaFn);
    assertThat(row.path("description").asString()).isEqualTo("Described by Java");
  }

  @Test
  void httpRoutesRegisteredAcrossLanguagesServeRequests() {
    Fixture f = fixtures.get(SDK);
    String javaFn = uniqueId("java::hello-http");
    String nodeFn = uniqueId("node::echo-http");
    String javaPath = uniquePath("hello");
    String nodePath = uniquePath("items") + "/:id";
    f.java()
        .registerFunction(
            javaFn,
            input ->
                Map.of(
                    "status_code",
                    201,
                    "headers",
                    Map.of("x-java", "yes"),
                    "body",
                    Map.of("message", "Hello from Java")));
    f.node().result("register", Map.of("id", nodeFn, "behavior", "httpEcho"));
    awaitNodeSees(f.node(), javaFn, nodeFn);

    // A Node-registered route to a Java function.
    f.node()
        .result(
            "registerTrigger",
            Map.of(
                "type",
                "http",
                "function_id",
                javaFn,
                "config",
                Map.of("api_path", javaPath, "http_method", "GET")));
    HttpResponse<String> fromJava =
        awaitRoute(request(f.engine().httpUrl(), javaPath).GET().build());
    assertThat(fromJava.statusCode()).isEqualTo(201);
    assertThat(fromJava.headers().firstValue("x-java")).hasValue("yes");
    assertThat(json(fromJava.body()).path("message").asString()).isEqualTo("Hello from Java");

    // A Java-registered route to a Node function.
    f.java().registerTrigger("http", nodeFn, Map.of("api_path", nodePath, "http_method", "POST"));
    HttpResponse<String> fromNode =
        awaitRoute(
            request(f.engine().httpUrl(), nodePath.replace(":id", "42") + "?q=x+y")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":3}"))
                .build());
    assertThat(fromNode.statusCode()).isEqualTo(200);
    JsonNode body = json(fromNode.body());
    assertThat(body.path("method").asString()).isEqualTo("POST");
    assertThat(body.path("path_params").path("id").asString()).isEqualTo("42");
    assertThat(body.path("query_params").path("q").asString()).isEqualTo("x y");
    assertThat(body.path("body").path("qty").asInt()).isEqualTo(3);
  }

  @Test
  void httpHelperOf022StreamsTheResponse() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::stream-http");
    String path = uniquePath("stream");
    // http() now lives in @iii-dev/helpers/http.
    f.node().result("register", Map.of("id", fn, "behavior", "httpStream", "chunks", 3));
    awaitJavaSees(f.java(), fn);
    f.java().registerTrigger("http", fn, Map.of("api_path", path, "http_method", "GET"));

    HttpResponse<String> response = awaitRoute(request(f.engine().httpUrl(), path).GET().build());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
    assertThat(response.body()).isEqualTo("chunk-1\nchunk-2\nchunk-3\n");
  }

  /** Records what the engine hands a Java trigger-type provider. */
  private static final class Recording implements TriggerHandler {
    final List<TriggerConfig> registered = new CopyOnWriteArrayList<>();
    final List<TriggerConfig> unregistered = new CopyOnWriteArrayList<>();

    @Override
    public void registerTrigger(TriggerConfig config) {
      registered.add(config);
    }

    @Override
    public void unregisterTrigger(TriggerConfig config) {
      unregistered.add(config);
    }
  }

  @Test
  void nodeUsesATriggerTypeProvidedByJava() {
    Fixture f = fixtures.get(SDK);
    String type = uniqueId("java-webhook");
    String target = uniqueId("node::on-webhook");
    Recording provider = new Recording();
    f.java().registerTriggerType(type, "Webhooks received by Java", provider);
    f.node().result("register", Map.of("id", target, "behavior", "echo"));
    awaitJavaSees(f.java(), target);

    String triggerId =
        f.node()
            .result(
                "registerTrigger",
                Map.of("type", type, "function_id", target, "config", Map.of("path", "/hook")))
            .path("id")
            .asString();

    await().atMost(WAIT).until(() -> provider.registered.size() == 1);
    assertThat(provider.registered.get(0))
        .isEqualTo(new TriggerConfig(triggerId, target, Map.of("path", "/hook")));

    f.node().result("unregisterTrigger", Map.of("id", triggerId));
    await().atMost(WAIT).until(() -> provider.unregistered.size() == 1);
    assertThat(provider.unregistered.get(0).id()).isEqualTo(triggerId);
  }

  @Test
  void javaUsesATriggerTypeProvidedByNode() {
    Fixture f = fixtures.get(SDK);
    String type = uniqueId("node-queue");
    String target = uniqueId("java::on-message");
    f.java().registerFunction(target, input -> null);
    awaitNodeSees(f.node(), target);
    f.node().result("registerTriggerType", Map.of("id", type, "description", "Node queue"));

    var trigger = f.java().registerTrigger(type, target, Map.of("topic", "orders"));

    JsonNode registered =
        f.node()
            .awaitEvent(
                e ->
                    "triggerRegistered".equals(e.path("event").asString(""))
                        && type.equals(e.path("trigger_type").asString("")),
                WAIT);
    assertThat(registered.path("trigger").path("id").asString()).isEqualTo(trigger.id());
    assertThat(registered.path("trigger").path("function_id").asString()).isEqualTo(target);
    assertThat(registered.path("trigger").path("config").path("topic").asString())
        .isEqualTo("orders");

    trigger.unregister();
    JsonNode unregistered =
        f.node()
            .awaitEvent(
                e ->
                    "triggerUnregistered".equals(e.path("event").asString(""))
                        && type.equals(e.path("trigger_type").asString("")),
                WAIT);
    assertThat(unregistered.path("trigger").path("id").asString()).isEqualTo(trigger.id());
  }

  @Test
  void channelsCarryDataBothWays() throws Exception {
    Fixture f = fixtures.get(SDK);
    // Java writes, Node reads (0.22.1 ChannelReader from iii-sdk/channel).
    Channel toNode = get(f.java().createChannel());
    CompletableFuture<JsonNode> read =
        CompletableFuture.supplyAsync(
            () -> f.node().result("readChannel", Map.of("ref", toNode.readerRef().toMap())));
    byte[] payload = "hello node ✓".getBytes(StandardCharsets.UTF_8);
    get(toNode.writer().sendMessage("first"));
    get(toNode.writer().write(payload));
    get(toNode.writer().close());
    JsonNode got = get(read);
    assertThat(got.path("length").asInt()).isEqualTo(payload.length);
    assertThat(got.path("sha256").asString()).isEqualTo(sha256(payload));
    assertThat(got.path("messages").toString()).isEqualTo("[\"first\"]");

    // Node creates the channel (createChannel helper of iii-sdk/helpers) and writes; Java reads.
    String consume = uniqueId("java::consume");
    f.java()
        .registerFunction(
            consume,
            input -> {
              ChannelReader reader = (ChannelReader) ((Map<?, ?>) input).get("input");
              byte[] bytes = get(reader.readAll());
              return Map.of("length", bytes.length, "sha256", sha256(bytes));
            });
    awaitNodeSees(f.node(), consume);
    JsonNode refs = f.node().result("createChannel", Map.of());
    CompletableFuture<JsonNode> consumed =
        CompletableFuture.supplyAsync(
            () ->
                f.node()
                    .result(
                        "call",
                        Map.of(
                            "function_id", consume, "data", Map.of("input", refs.path("reader")))));
    JsonNode written =
        f.node().result("writeChannel", Map.of("ref", refs.path("writer"), "size", 300_000));
    JsonNode result = get(consumed);
    assertThat(result.path("length").asInt()).isEqualTo(300_000);
    assertThat(result.path("sha256").asString()).isEqualTo(written.path("sha256").asString());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static JsonNode find(JsonNode array, String key, String value) {
    assertThat(array.isArray()).as("a list: %s", array).isTrue();
    for (JsonNode item : array) {
      if (value.equals(item.path(key).asString(""))) {
        return item;
      }
    }
    throw new AssertionError("no " + key + "=" + value + " in " + array);
  }
}
