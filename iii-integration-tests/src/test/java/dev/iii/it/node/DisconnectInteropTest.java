package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitInvoked;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.closeAll;
import static dev.iii.it.node.Interop.connectJava;
import static dev.iii.it.node.Interop.connectNode;
import static dev.iii.it.node.Interop.failure;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.startEngine;
import static dev.iii.it.node.Interop.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.WorkerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Proves that when the worker handling a call goes away mid-call, the caller on the other SDK gets
 * the official engine's {@code invocation_stopped} / {@code Invocation stopped} error at once (not
 * a timeout): a Node caller (official SDK 0.9.0 and 0.3.0) whose Java handler worker shuts down or
 * whose connection is reset like a crashed process's, and a Java caller whose Node handler worker
 * is killed (SIGKILL), after which the engine no longer lists the dead worker or its function.
 *
 * <p>Every test has its own engine, Java client and Node process, since it takes one of them down.
 */
class DisconnectInteropTest {

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService caller = Executors.newSingleThreadExecutor();

  @AfterEach
  void closeEverything() {
    release.countDown();
    caller.shutdownNow();
    closeAll(resources);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void nodeCallerGetsInvocationStoppedWhenJavaHandlerWorkerShutsDown(String sdk) {
    EmbeddedEngine engine = track(startEngine());
    NodeSdk node = track(connectNode(engine, sdk, "node-caller"));
    III java = track(connectJava(engine, "java-handler"));

    JsonNode error = nodeCallWhileJavaHandlerDisconnects(node, java, () -> get(java.shutdown()));

    assertThat(error.path("code").asString()).as("error %s", error).isEqualTo("invocation_stopped");
    assertThat(error.path("message").asString())
        .as("error %s", error)
        .isEqualTo("Invocation stopped");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void nodeCallerGetsInvocationStoppedWhenJavaHandlerConnectionIsReset(String sdk)
      throws Exception {
    EmbeddedEngine engine = track(startEngine());
    NodeSdk node = track(connectNode(engine, sdk, "node-caller"));
    TcpProxy proxy = track(TcpProxy.start(engine.port()));
    III java = track(connectJava("ws://127.0.0.1:" + proxy.port(), "java-handler"));

    // Like a crashed process: the TCP connection is reset, no WebSocket close handshake.
    JsonNode error = nodeCallWhileJavaHandlerDisconnects(node, java, proxy::cut);

    assertThat(error.path("code").asString()).as("error %s", error).isEqualTo("invocation_stopped");
    assertThat(error.path("message").asString())
        .as("error %s", error)
        .isEqualTo("Invocation stopped");
  }

  /**
   * Node calls a Java function whose handler blocks; once it runs, {@code disconnect} takes the
   * Java worker off the engine.
   *
   * @return the error the Node SDK rejected the call with
   */
  private JsonNode nodeCallWhileJavaHandlerDisconnects(
      NodeSdk node, III java, Runnable disconnect) {
    String id = uniqueId("java::block");
    CountDownLatch invoked = new CountDownLatch(1);
    java.registerFunction(
        id,
        input -> {
          invoked.countDown();
          release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
          return "too late";
        });
    awaitNodeSees(node, id);

    Future<JsonNode> reply =
        caller.submit(() -> node.request("call", Map.of("function_id", id, "data", Map.of())));
    try {
      assertThat(invoked.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("Java handler invoked")
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    disconnect.run();

    JsonNode answer = get(reply);
    assertThat(answer.path("ok").asBoolean()).as("reply %s", answer).isFalse();
    return answer.path("error");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.9.0", "0.3.0"})
  void javaCallerGetsInvocationStoppedWhenNodeHandlerWorkerIsKilled(String sdk) {
    EmbeddedEngine engine = track(startEngine());
    III java = track(connectJava(engine, "java-caller"));
    NodeSdk node = track(connectNode(engine, sdk, "node-handler"));
    String nodeWorkerId = node.result("status", Map.of()).path("workerId").asString();
    String id = uniqueId("node::hang");
    node.result("register", Map.of("id", id, "behavior", "hang"));
    awaitJavaSees(java, id);

    CompletableFuture<Object> call = java.call(id, Map.of("wait", "forever"));
    awaitInvoked(node, id);
    node.kill();

    IIIException error = failure(call);
    assertThat(error.code()).isEqualTo("invocation_stopped");
    assertThat(error.errorMessage()).isEqualTo("Invocation stopped");
    await("dead Node worker and its function unlisted")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              assertThat(get(java.listWorkers()))
                  .extracting(WorkerInfo::id)
                  .doesNotContain(nodeWorkerId);
              assertThat(get(java.listFunctions()))
                  .extracting(FunctionInfo::functionId)
                  .doesNotContain(id);
            });
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }
}
