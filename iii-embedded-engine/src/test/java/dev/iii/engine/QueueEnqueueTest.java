package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.EnqueueResult;
import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.TriggerAction;
import dev.iii.TriggerRequest;
import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.QueueConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code TriggerAction.Enqueue} over the WebSocket, from the Java client: the receipt, the call on
 * the default queue, a failure retried then a success, the dead letter after the last retry and its
 * redrive, and {@code enqueue_error} without the queue module or for an unknown queue.
 */
class QueueEnqueueTest {

  private static EmbeddedEngine engine(QueueConfig queue) {
    return EmbeddedEngine.builder()
        .config(EngineConfig.development().withQueue(queue))
        .host("127.0.0.1")
        .port(0)
        .httpPort(0)
        .build()
        .start();
  }

  @Test
  void anEnqueuedCallIsAnsweredWithAReceiptThenRunOnTheDefaultQueue() throws Exception {
    try (EmbeddedEngine engine = engine(QueueConfig.defaults());
        III client = new III(engine.wsUrl())) {
      client.connect().get();
      List<Object> calls = new CopyOnWriteArrayList<>();
      client.registerFunction(
          "jobs::run",
          input -> {
            calls.add(input);
            return null;
          });

      EnqueueResult receipt =
          client
              .trigger(
                  TriggerRequest.of("jobs::run", Map.of("n", 1))
                      .withAction(TriggerAction.enqueue("default")),
                  EnqueueResult.class)
              .join();

      assertThat(receipt.messageReceiptId()).matches("[0-9a-f-]{36}");
      await().until(() -> calls.size() == 1);
      assertThat(calls.get(0)).isEqualTo(Map.of("n", 1));
    }
  }

  @Test
  void aFailureIsRetriedAndTheLastFailureIsDeadLetteredThenRedriven() throws Exception {
    QueueConfig config =
        QueueConfig.defaults()
            .withQueue("retry", QueueConfig.NamedQueue.defaults().withRetries(2, 1));
    try (EmbeddedEngine engine = engine(config);
        III client = new III(engine.wsUrl())) {
      client.connect().get();
      AtomicInteger failuresLeft = new AtomicInteger(1);
      AtomicInteger flakyCalls = new AtomicInteger();
      client.registerFunction(
          "jobs::flaky",
          input -> {
            flakyCalls.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
              throw new IllegalStateException("first attempt fails");
            }
            return null;
          });
      AtomicInteger doomedCalls = new AtomicInteger();
      AtomicInteger healed = new AtomicInteger();
      client.registerFunction(
          "jobs::doomed",
          input -> {
            doomedCalls.incrementAndGet();
            if (healed.get() == 0) {
              throw new IllegalStateException("always fails");
            }
            return null;
          });

      enqueue(client, "jobs::flaky", "retry");
      enqueue(client, "jobs::doomed", "retry");

      await().until(() -> flakyCalls.get() == 2);
      await().until(() -> deadLetters(client).size() == 1);
      assertThat(doomedCalls.get()).isEqualTo(2);

      healed.set(1);
      Object redriven =
          client.trigger(TriggerRequest.of("iii::queue::redrive", Map.of("queue", "retry"))).join();
      assertThat(redriven).isEqualTo(Map.of("queue", "retry", "redriven", 1));
      await().until(() -> doomedCalls.get() == 3);
      await().until(() -> deadLetters(client).isEmpty());
    }
  }

  @Test
  void anUnknownQueueAndAMissingQueueModuleAnswerEnqueueError() throws Exception {
    try (EmbeddedEngine engine = engine(QueueConfig.defaults());
        III client = new III(engine.wsUrl())) {
      client.connect().get();
      assertThatThrownBy(() -> enqueue(client, "jobs::none", "nope"))
          .hasCauseInstanceOf(IIIException.class)
          .cause()
          .satisfies(
              e -> {
                assertThat(((IIIException) e).code()).isEqualTo("enqueue_error");
                assertThat(e.getMessage()).contains("Queue 'nope' not found");
              });
    }
    try (EmbeddedEngine engine = engine(null);
        III client = new III(engine.wsUrl())) {
      client.connect().get();
      assertThatThrownBy(() -> enqueue(client, "jobs::none", "default"))
          .isInstanceOf(CompletionException.class)
          .cause()
          .satisfies(
              e -> {
                assertThat(((IIIException) e).code()).isEqualTo("enqueue_error");
                assertThat(e.getMessage()).contains("No queue provider is installed");
              });
    }
  }

  private static EnqueueResult enqueue(III client, String functionId, String queue) {
    return client
        .trigger(
            TriggerRequest.of(functionId, Map.of()).withAction(TriggerAction.enqueue(queue)),
            EnqueueResult.class)
        .join();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> deadLetters(III client) {
    return (List<Object>)
        client
            .trigger(TriggerRequest.of("engine::queue::dlq_messages", Map.of("queue", "retry")))
            .join();
  }
}
