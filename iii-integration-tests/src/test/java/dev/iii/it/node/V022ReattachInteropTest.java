package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.awaitRoute;
import static dev.iii.it.node.V022.json;
import static dev.iii.it.node.V022.request;
import static dev.iii.it.node.V022.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.protocol.WorkerInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Reconnects of the official Node SDK 0.22.1 against our engine: the engine hands out a {@code
 * reattach_token} with {@code workerregistered}; a worker whose connection went half-open (the
 * engine never saw it close) reconnects, presents its old id and token in {@code reattach}, and the
 * engine retires the old connection before the replay, so the old worker row disappears and calls
 * reach the new connection; and when the engine itself is replaced by a new one on the same port, a
 * Node and a Java worker come back by themselves with their functions and triggers.
 */
class V022ReattachInteropTest {

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    Interop.closeAll(resources);
    resources.clear();
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private static List<String> workerIds(III java) {
    return get(java.listWorkers()).stream().map(WorkerInfo::id).toList();
  }

  @Test
  void workerRegisteredCarriesAReattachToken() {
    EmbeddedEngine engine = track(Interop.startEngine());
    NodeSdk node = track(V022.connect(engine.wsUrl(), "node-token", Map.of()));

    JsonNode status = node.result("status", Map.of());

    assertThat(status.path("workerId").asString()).isNotBlank();
    assertThat(status.path("reattachToken").isString())
        .as("reattach_token of workerregistered, as the SDK stored it: %s", status)
        .isTrue();
    assertThat(status.path("reattachToken").asString()).isNotBlank();
  }

  @Test
  void reattachRetiresTheHalfOpenPreviousConnection() throws Exception {
    EmbeddedEngine engine = track(Interop.startEngine());
    HalfOpenProxy proxy = track(HalfOpenProxy.start(engine.port()));
    III java = track(V022.connectJava(engine.wsUrl(), "java-reattach"));
    NodeSdk node = track(V022.connect("ws://127.0.0.1:" + proxy.port(), "node-reattach", Map.of()));
    String fn = uniqueId("node::survivor");
    node.result("register", Map.of("id", fn, "behavior", "echo"));
    awaitJavaSees(java, fn);
    String oldId = node.result("status", Map.of()).path("workerId").asString();
    await("the Node worker listed").atMost(WAIT).until(() -> workerIds(java).contains(oldId));

    // The worker sees its connection reset; the engine does not (its side stays open, silent).
    proxy.dropClients();

    JsonNode reconnected =
        await("the Node worker reconnected under a new id")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> node.result("status", Map.of()),
                s ->
                    "connected".equals(s.path("connectionState").asString(""))
                        && !s.path("workerId").asString(oldId).equals(oldId));
    String newId = reconnected.path("workerId").asString();

    // Only reattach can retire the old connection: the engine never saw it close.
    await("the old connection retired by reattach")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> workerIds(java), ids -> !ids.contains(oldId) && ids.contains(newId));

    assertThat(get(java.call(fn, Map.of("after", "reattach"))))
        .isEqualTo(Map.of("after", "reattach", "_caller_worker_id", java.workerId().orElseThrow()));
  }

  @Test
  void nodeAndJavaComeBackWhenTheEngineIsReplacedOnTheSamePort() {
    EmbeddedEngine first = Interop.startEngine();
    int port = first.port();
    resources.add(first);
    III java = track(V022.connectJava(first.wsUrl(), "java-restart"));
    NodeSdk node = track(V022.connect(first.wsUrl(), "node-restart", Map.of()));
    String nodeFn = uniqueId("node::back");
    String javaFn = uniqueId("java::back");
    String path = uniquePath("back");
    java.registerFunction(
        javaFn, input -> Map.of("status_code", 200, "body", Map.of("java", "back")));
    node.result("register", Map.of("id", nodeFn, "behavior", "add"));
    awaitJavaSees(java, nodeFn);
    awaitNodeSees(node, javaFn);
    node.result(
        "registerTrigger",
        Map.of(
            "type",
            "http",
            "function_id",
            javaFn,
            "config",
            Map.of("api_path", path, "http_method", "GET")));
    awaitRoute(request(first.httpUrl(), path).GET().build());
    String oldNodeId = node.result("status", Map.of()).path("workerId").asString();

    first.close();
    EmbeddedEngine second =
        track(
            EmbeddedEngine.builder()
                .host("127.0.0.1")
                .port(port)
                .httpPort(0)
                .streamPort(0)
                .build()
                .start());

    // Both workers reconnect and replay their registrations without any help.
    await("Java reaches the Node function on the new engine")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> get(java.call(nodeFn, Map.of("a", 1, "b", 2))), Map.of("sum", 3)::equals);
    await("Node reaches the Java function on the new engine")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> node.result("call", Map.of("function_id", javaFn, "data", Map.of())),
            r -> "back".equals(r.path("body").path("java").asString("")));
    HttpResponse<String> served = awaitRoute(request(second.httpUrl(), path).GET().build());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(json(served.body()).path("java").asString()).isEqualTo("back");
    assertThat(node.result("status", Map.of()).path("workerId").asString())
        .as("a new engine knows nothing of the old id")
        .isNotEqualTo(oldNodeId);
  }
}
