package dev.iii.it.node;

import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.SDK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.QueueConfig;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The official Node SDK 0.22.1 and the queue module: a job it enqueues with {@code
 * TriggerAction.Enqueue} gets a receipt, fails once and succeeds on the retry; another is
 * dead-lettered after its last delivery, and the Node worker redrives it with {@code
 * iii::queue::redrive}.
 */
class QueueInteropTest {

  @Test
  void aNodeEnqueuedJobIsRetriedAnotherDeadLetteredThenRedriven() throws Exception {
    QueueConfig queues =
        QueueConfig.defaults()
            .withQueue("retry", QueueConfig.NamedQueue.defaults().withRetries(2, 1));
    try (EmbeddedEngine engine =
            EmbeddedEngine.builder()
                .config(EngineConfig.development().withQueue(queues))
                .host("127.0.0.1")
                .port(0)
                .httpPort(0)
                .build()
                .start();
        III java = Interop.connectJava(engine, "java-queue");
        NodeSdk node = NodeSdk.start(SDK, engine.wsUrl())) {
      node.result("connect", Map.of("workerName", "node-queue", "invocationTimeoutMs", 10_000));
      String flaky = uniqueId("java::flaky");
      String doomed = uniqueId("java::doomed");
      AtomicInteger flakyCalls = new AtomicInteger();
      AtomicInteger doomedCalls = new AtomicInteger();
      AtomicInteger healed = new AtomicInteger();
      java.registerFunction(
          flaky,
          input -> {
            if (flakyCalls.incrementAndGet() == 1) {
              throw new IllegalStateException("first attempt fails");
            }
            return null;
          });
      java.registerFunction(
          doomed,
          input -> {
            doomedCalls.incrementAndGet();
            if (healed.get() == 0) {
              throw new IllegalStateException("fails until healed");
            }
            return null;
          });
      awaitNodeSees(node, flaky, doomed);

      JsonNode receipt =
          node.result(
              "enqueue", Map.of("function_id", flaky, "data", Map.of("n", 1), "queue", "retry"));
      assertThat(receipt.path("messageReceiptId").asString()).matches("[0-9a-f-]{36}");
      node.result(
          "enqueue", Map.of("function_id", doomed, "data", Map.of("n", 2), "queue", "retry"));

      await().until(() -> flakyCalls.get() == 2);
      await()
          .until(
              () ->
                  node.result(
                              "call",
                              Map.of(
                                  "function_id",
                                  "engine::queue::dlq_messages",
                                  "data",
                                  Map.of("queue", "retry")))
                          .size()
                      == 1);
      assertThat(doomedCalls.get()).isEqualTo(2);

      healed.set(1);
      JsonNode redriven =
          node.result(
              "call",
              Map.of("function_id", "iii::queue::redrive", "data", Map.of("queue", "retry")));
      assertThat(redriven.path("redriven").asInt()).isEqualTo(1);
      await().until(() -> doomedCalls.get() == 3);
      assertThat(flakyCalls.get()).isEqualTo(2);
    }
  }
}
