package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.it.EngineProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The stand-alone engine ({@code java -jar iii-embedded-engine.jar}) stopped with SIGTERM and
 * started again on the same port: a worker of the official Node SDK 0.22.1 and a Java worker,
 * connected before, come back by themselves (reconnect, {@code reattach} of an id the new engine
 * does not know, replay) and call each other's functions again.
 */
class V022EngineRestartIT {

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<EngineProcess> engines = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    Interop.closeAll(resources);
    engines.forEach(EngineProcess::close);
  }

  private EngineProcess startJar(int port) throws Exception {
    EngineProcess engine =
        EngineProcess.start(
            List.of(),
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--http-port",
                "0",
                "--stream-port",
                "0"));
    engines.add(engine);
    return engine;
  }

  private static void sigterm(EngineProcess engine) throws InterruptedException {
    assertThat(engine.stop()).isIn(0, 143);
  }

  @Test
  void nodeAndJavaWorkersComeBackAfterASigtermRestartOnTheSamePort() throws Exception {
    EngineProcess first = startJar(0);
    III java = V022.connectJava(first.wsUrl(), "java-sigterm");
    resources.add(java);
    NodeSdk node = V022.connect(first.wsUrl(), "node-sigterm", Map.of());
    resources.add(node);
    String javaFn = uniqueId("java::survives");
    String nodeFn = uniqueId("node::survives");
    java.registerFunction(javaFn, input -> Map.of("from", "java"));
    node.result("register", Map.of("id", nodeFn, "behavior", "add"));
    awaitJavaSees(java, nodeFn);
    awaitNodeSees(node, javaFn);
    String oldNodeId = node.result("status", Map.of()).path("workerId").asString();

    sigterm(first);
    EngineProcess second = startJar(first.port());

    await("Java reaches the Node function on the restarted engine")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> get(java.call(nodeFn, Map.of("a", 20, "b", 22))), Map.of("sum", 42)::equals);
    await("Node reaches the Java function on the restarted engine")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> node.result("call", Map.of("function_id", javaFn, "data", Map.of())),
            r -> "java".equals(r.path("from").asString("")));
    JsonNode status = node.result("status", Map.of());
    assertThat(status.path("connectionState").asString()).isEqualTo("connected");
    assertThat(status.path("workerId").asString()).isNotEqualTo(oldNodeId);

    sigterm(second);
  }
}
