package dev.iii.it.node;

import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.IIIException;
import dev.iii.it.node.Interop.Fixture;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proves that a worker built with the official Node SDK (0.9.0 and 0.3.0) can use the functions of
 * a Java worker ({@code dev.iii.III}) through the embedded engine: request/response calls return
 * exactly what the Java handler returned, fire-and-forget calls run the Java handler, exceptions
 * thrown by a Java handler reach Node as {@code {code: "invocation_failed", message}} (or the code
 * of an {@link IIIException}), and a call to a missing function is rejected with the official
 * engine's {@code function_not_found} error object.
 *
 * <p>One engine, Java client and Node worker per SDK version are shared by the tests of this class;
 * every test registers its own function ids.
 */
class NodeCallsJavaInteropTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("node-calls-java");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void nodeCallsJavaFunctionAndGetsItsResult(String sdk) {
    Fixture f = fixtures.get(sdk);
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

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void javaEchoRoundTripsNestedAndNonObjectData(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("java::echo");
    f.java().registerFunction(id, input -> input);
    awaitNodeSees(f.node(), id);

    Map<String, Object> nested = JavaCallsNodeInteropTest.nestedJson();
    JsonNode echoed = f.node().result("call", Map.of("function_id", id, "data", nested));
    Map<String, Object> expected = new LinkedHashMap<>(nested);
    expected.put("_caller_worker_id", f.nodeWorkerId());
    assertThat(JSON.treeToValue(echoed, Object.class)).isEqualTo(expected);

    for (Object data : Arrays.asList("text ✓", 42, -3.5, true, List.of(1, "a", List.of()), null)) {
      Map<String, Object> args = new LinkedHashMap<>();
      args.put("function_id", id);
      args.put("data", data);
      JsonNode reply = f.node().request("call", args);
      assertThat(reply.path("ok").asBoolean()).as("reply %s", reply).isTrue();
      assertThat(JSON.treeToValue(reply.path("result"), Object.class))
          .as("echo of %s", data)
          .isEqualTo(data);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void nodeCallVoidRunsTheJavaHandler(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("java::sink");
    CompletableFuture<Object> seen = new CompletableFuture<>();
    f.java()
        .registerFunction(
            id,
            input -> {
              seen.complete(input);
              return Map.of("ignored", true);
            });
    awaitNodeSees(f.node(), id);

    JsonNode result =
        f.node().result("callVoid", Map.of("function_id", id, "data", Map.of("event", "ping")));

    assertThat(result.isNull()).isTrue();
    assertThat(get(seen)).isEqualTo(Map.of("event", "ping", "_caller_worker_id", f.nodeWorkerId()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void exceptionThrownByJavaHandlerReachesNodeAsInvocationFailed(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("java::fail");
    String message = "java says no: ✗ " + sdk;
    f.java()
        .registerFunction(
            id,
            input -> {
              throw new IllegalStateException(message);
            });
    awaitNodeSees(f.node(), id);

    JsonNode error = f.node().error("call", Map.of("function_id", id, "data", Map.of()));

    assertThat(error.path("code").asString()).as("error %s", error).isEqualTo("invocation_failed");
    assertThat(error.path("message").asString()).as("error %s", error).isEqualTo(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void iiiExceptionThrownByJavaHandlerKeepsItsCode(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("java::refuse");
    f.java()
        .registerFunction(
            id,
            input -> {
              throw new IIIException("not_allowed", "you shall not pass");
            });
    awaitNodeSees(f.node(), id);

    JsonNode error = f.node().error("call", Map.of("function_id", id, "data", Map.of()));

    assertThat(error.path("code").asString()).as("error %s", error).isEqualTo("not_allowed");
    assertThat(error.path("message").asString())
        .as("error %s", error)
        .isEqualTo("you shall not pass");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void missingFunctionIsRejectedLikeTheOfficialEngineDoes(String sdk) {
    Fixture f = fixtures.get(sdk);

    JsonNode error =
        f.node().error("call", Map.of("function_id", "nope::missing", "data", Map.of("x", 1)));

    // The SDK rejects with the engine's error body itself, not with a JS Error wrapping it.
    assertThat(error.has("name")).as("error %s", error).isFalse();
    assertThat(error.path("code").asString()).as("error %s", error).isEqualTo("function_not_found");
    assertThat(error.path("message").asString())
        .as("error %s", error)
        .isEqualTo("Function nope::missing not found");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void javaSeesNodeFunctionsAndNodeSeesJavaFunctionsAfterRegistration(String sdk) {
    Fixture f = fixtures.get(sdk);
    String javaId = uniqueId("java::late");
    String nodeId = uniqueId("node::late");
    f.java().registerFunction(javaId, input -> "late but there");
    f.node().result("register", Map.of("id", nodeId, "behavior", "echo"));
    awaitNodeSees(f.node(), javaId, nodeId);
    awaitJavaSees(f.java(), javaId, nodeId);

    assertThat(f.node().result("call", Map.of("function_id", javaId, "data", "x")).asString())
        .isEqualTo("late but there");
    // A string input is not an object, so the engine injects nothing into it.
    assertThat(get(f.java().call(nodeId, "plain string"))).isEqualTo("plain string");
  }
}
