package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.it.node.Interop.Fixture;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.WorkerInfo;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Proves that the Java client and the official Node SDK (0.9.0 and 0.3.0) see each other through
 * the embedded engine's listings: each SDK's {@code listFunctions} shows the other's functions with
 * the description and metadata they were registered with, Java's {@code listWorkers()} shows the
 * Node worker with runtime {@code node} and its SDK version once the SDK has sent its metadata, and
 * the Node SDK's {@code listWorkers} shows the Java worker with runtime {@code java}.
 *
 * <p>One engine, Java client and Node worker per SDK version are shared by the tests of this class;
 * every test registers its own function ids.
 */
class DiscoveryInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("discovery");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void nodeListsJavaFunctionsWithTheirDescription(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("java::described");
    f.java()
        .registerFunction(
            id, input -> input, "Described by Java ✓", Map.of("owner", "java", "rank", 1));
    awaitNodeSees(f.node(), id);

    JsonNode listed = find(f.node().result("listFunctions", Map.of()), "function_id", id);

    assertThat(listed.path("description").asString()).isEqualTo("Described by Java ✓");
    JsonNode metadata = listed.path("metadata");
    assertThat(metadata.size()).as("metadata %s", metadata).isEqualTo(2);
    assertThat(metadata.path("owner").asString()).isEqualTo("java");
    assertThat(metadata.path("rank").asInt()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void javaListsNodeFunctionsWithTheirDescription(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("node::described");
    f.node()
        .result(
            "register",
            Map.of(
                "id",
                id,
                "behavior",
                "echo",
                "description",
                "Described by Node ✓",
                "metadata",
                Map.of("owner", "node")));
    awaitJavaSees(f.java(), id);

    FunctionInfo listed =
        get(f.java().listFunctions()).stream()
            .filter(function -> id.equals(function.functionId()))
            .findFirst()
            .orElseThrow();

    assertThat(listed.description()).isEqualTo("Described by Node ✓");
    assertThat(listed.metadata()).isEqualTo(Map.of("owner", "node"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void javaListsTheNodeWorkerWithItsRuntimeAndSdkVersion(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("node::owned");
    f.node().result("register", Map.of("id", id, "behavior", "echo"));
    awaitJavaSees(f.java(), id);

    // The SDK sends its metadata (engine::workers::register) fire-and-forget after connecting.
    WorkerInfo node =
        await("Node worker listed with its metadata")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> worker(f, f.nodeWorkerId()),
                w -> w.isPresent() && "node".equals(w.get().runtime()))
            .orElseThrow();

    assertThat(node.runtime()).isEqualTo("node");
    assertThat(node.version()).isEqualTo(sdk);
    assertThat(node.name()).isEqualTo("node-discovery-" + sdk);
    assertThat(node.status()).isEqualTo("connected");
    assertThat(node.functions()).contains(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void nodeListsTheJavaWorkerWithRuntimeJava(String sdk) {
    Fixture f = fixtures.get(sdk);
    String id = uniqueId("java::owned");
    f.java().registerFunction(id, input -> input);
    awaitNodeSees(f.node(), id);

    JsonNode java =
        await("Java worker listed to Node with its metadata")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> find(f.node().result("listWorkers", Map.of()), "id", f.javaWorkerId()),
                w -> "java".equals(w.path("runtime").asString()));

    assertThat(java.path("runtime").asString()).isEqualTo("java");
    assertThat(java.path("name").asString()).isEqualTo("java-discovery");
    assertThat(java.path("status").asString()).isEqualTo("connected");
    assertThat(StreamSupport.stream(java.path("functions").spliterator(), false))
        .map(JsonNode::asString)
        .contains(id);
  }

  private static Optional<WorkerInfo> worker(Fixture f, String workerId) {
    return get(f.java().listWorkers()).stream()
        .filter(worker -> workerId.equals(worker.id()))
        .findFirst();
  }

  private static JsonNode find(JsonNode array, String key, String value) {
    assertThat(array.isArray()).as("a list: %s", array).isTrue();
    return StreamSupport.stream(array.spliterator(), false)
        .filter(item -> value.equals(item.path(key).asString()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + key + "=" + value + " in " + array));
  }
}
