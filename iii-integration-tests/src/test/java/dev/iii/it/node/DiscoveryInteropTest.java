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
import tools.jackson.databind.json.JsonMapper;

/**
 * Proves that the Java client and the official Node SDK (0.9.0 and 0.3.0) see each other through
 * the embedded engine's listings: each SDK's {@code listFunctions} shows the other's functions with
 * the description and metadata they were registered with, Java's {@code listWorkers()} shows the
 * Node worker with runtime {@code node} and its SDK version once the SDK has sent its metadata (as
 * in official v0.22.1, only a worker that reported a {@code pid}: 0.3.0 does not, so it is found by
 * id), and the Node SDK's {@code listWorkers} shows the Java worker with runtime {@code java}.
 *
 * <p>One engine, Java client and Node worker per SDK version are shared by the tests of this class;
 * every test registers its own function ids.
 */
class DiscoveryInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("discovery");
  private static final JsonMapper JSON = JsonMapper.builder().build();

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
    JsonNode node =
        await("Node worker listed with its metadata")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> workerById(f, f.nodeWorkerId()),
                w -> w.isPresent() && "node".equals(w.get().path("runtime").asString()))
            .orElseThrow();

    assertThat(node.path("runtime").asString()).isEqualTo("node");
    assertThat(node.path("version").asString()).isEqualTo(sdk);
    assertThat(node.path("name").asString()).isEqualTo("node-discovery-" + sdk);
    assertThat(node.path("status").asString()).isEqualTo("connected");
    assertThat(StreamSupport.stream(node.path("functions").spliterator(), false))
        .map(JsonNode::asString)
        .contains(id);
    // The plain list (listWorkers) shows only workers that reported a pid, as v0.22.1 does:
    // 0.9.0 sends one, 0.3.0 does not.
    if ("0.3.0".equals(sdk)) {
      assertThat(worker(f, f.nodeWorkerId())).isEmpty();
    } else {
      assertThat(worker(f, f.nodeWorkerId()).map(WorkerInfo::runtime)).contains("node");
    }
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

  /** The row of {@code engine::workers::list {worker_id}}, which lists a worker without a pid. */
  private static Optional<JsonNode> workerById(Fixture f, String workerId) {
    Object result = get(f.java().call("engine::workers::list", Map.of("worker_id", workerId)));
    JsonNode rows = JSON.valueToTree(result).path("workers");
    return StreamSupport.stream(rows.spliterator(), false).findFirst();
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
