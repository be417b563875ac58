package dev.iii.it.node;

import static dev.iii.it.node.Interop.awaitInvoked;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.failure;
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

/**
 * Proves that a Java worker ({@code dev.iii.III}) can use the functions of a worker built with the
 * official Node SDK (0.9.0 and 0.3.0), through the embedded engine: request/response calls carry
 * nested JSON both ways unchanged (apart from the {@code _caller_worker_id} the engine injects),
 * fire-and-forget calls run the Node handler, errors thrown by a Node handler reach Java as {@code
 * invocation_failed}, and a chain Java → Node → Java returns the innermost result.
 *
 * <p>One engine, Java client and Node worker per SDK version are shared by the tests of this class;
 * every test registers its own function ids.
 */
class JavaCallsNodeInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("java-calls-node");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void echoRoundTripsNestedJson(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("node::echo");
    f.node().result("register", Map.of("id", id, "behavior", "echo"));
    awaitJavaSees(f.java(), id);

    Map<String, Object> data = nestedJson();
    Object result = get(f.java().call(id, data));

    Map<String, Object> expected = new LinkedHashMap<>(data);
    expected.put("_caller_worker_id", f.javaWorkerId());
    assertThat(result).isEqualTo(expected);
    // The Node handler itself saw the engine's caller id, i.e. the Java worker.
    JsonNode invoked = awaitInvoked(f.node(), id);
    assertThat(invoked.path("data").path("_caller_worker_id").asString())
        .isEqualTo(f.javaWorkerId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void echoRoundTripsNonObjectDataUnchanged(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("node::echo-scalar");
    f.node().result("register", Map.of("id", id, "behavior", "echo"));
    awaitJavaSees(f.java(), id);

    // The engine injects the caller id into objects only.
    for (Object data : Arrays.asList("text ✓", 42, -3.5, true, List.of(1, "a", List.of()), null)) {
      assertThat(get(f.java().call(id, data))).as("echo of %s", data).isEqualTo(data);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void addReturnsTheSum(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("node::add");
    f.node().result("register", Map.of("id", id, "behavior", "add"));
    awaitJavaSees(f.java(), id);

    assertThat(get(f.java().call(id, Map.of("a", 2, "b", 40)))).isEqualTo(Map.of("sum", 42));
    assertThat(get(f.java().call(id, Map.of("a", -1.5, "b", 0.25))))
        .isEqualTo(Map.of("sum", -1.25));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void callVoidRunsTheNodeHandler(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("node::void");
    f.node().result("register", Map.of("id", id, "behavior", "echo"));
    awaitJavaSees(f.java(), id);

    f.java().callVoid(id, Map.of("tag", "fire-and-forget", "n", 7));

    JsonNode invoked = awaitInvoked(f.node(), id);
    assertThat(invoked.path("data").path("tag").asString()).isEqualTo("fire-and-forget");
    assertThat(invoked.path("data").path("n").asInt()).isEqualTo(7);
    assertThat(invoked.path("data").path("_caller_worker_id").asString())
        .isEqualTo(f.javaWorkerId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void errorThrownByNodeHandlerReachesJavaAsInvocationFailed(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("node::fail");
    String message = "node says no: ünïcödé ✗ " + sdk;
    f.node().result("register", Map.of("id", id, "behavior", "fail", "message", message));
    awaitJavaSees(f.java(), id);

    IIIException error = failure(f.java().call(id, Map.of("x", 1)));

    assertThat(error.code()).isEqualTo("invocation_failed");
    assertThat(error.errorMessage()).isEqualTo(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void chainJavaToNodeToJavaReturnsTheInnerResult(String sdk) {
    Fixture f = fixtures.get(sdk);
    String javaId = uniqueId("java::double");
    String relayId = uniqueId("node::relay");
    f.java()
        .registerFunction(
            javaId,
            input -> {
              Map<?, ?> in = (Map<?, ?>) input;
              return Map.of(
                  "doubled",
                  ((Number) in.get("x")).intValue() * 2,
                  "caller",
                  in.get("_caller_worker_id"));
            });
    f.node().result("register", Map.of("id", relayId, "behavior", "relay", "target", javaId));
    awaitJavaSees(f.java(), javaId, relayId);

    Object result = get(f.java().call(relayId, Map.of("x", 21)));

    // The inner call was made by the Node worker, so the engine names it as the caller.
    assertThat(result).isEqualTo(Map.of("doubled", 42, "caller", f.nodeWorkerId()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void chainWithVoidInnerCallRunsTheJavaHandler(String sdk) {
    Fixture f = fixtures.get(sdk);
    String javaId = uniqueId("java::sink");
    String relayId = uniqueId("node::relay-void");
    CompletableFuture<Object> received = new CompletableFuture<>();
    f.java()
        .registerFunction(
            javaId,
            input -> {
              received.complete(input);
              return null;
            });
    f.node().result("register", Map.of("id", relayId, "behavior", "relayVoid", "target", javaId));
    awaitJavaSees(f.java(), javaId, relayId);

    Object result = get(f.java().call(relayId, Map.of("payload", "via node")));

    assertThat(result).isEqualTo(Map.of("relayed", true));
    assertThat(get(received))
        .isEqualTo(Map.of("payload", "via node", "_caller_worker_id", f.nodeWorkerId()));
  }

  /** Objects, arrays, unicode, escapes, integers, big integers, fractions, booleans and nulls. */
  static Map<String, Object> nestedJson() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("name", "Zoë 日本語 🎉 \"quoted\" back\\slash\nnew line\ttab");
    inner.put("empty_string", "");
    inner.put("nothing", null);
    inner.put("flags", List.of(true, false));
    inner.put("empty_object", Map.of());
    inner.put("empty_array", List.of());

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("int", 42);
    data.put("negative", -17);
    data.put("zero", 0);
    data.put("big", 9_007_199_254_740_991L);
    data.put("beyond_int", 2_147_483_648L);
    data.put("fraction", 3.14159);
    data.put("tiny", 2.5e-8);
    data.put("huge", 1e300);
    data.put("null", null);
    data.put("inner", inner);
    data.put("array", Arrays.asList(1, "two", null, List.of(3, List.of(4)), Map.of("five", 5)));
    data.put("ключ ✓", "значение");
    return data;
  }
}
