package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Java client's {@code publish} against the embedded engine, with Java subscribers. */
class PubSubClientTest extends EngineTestSupport {

  record OrderCreated(String id, int amount) {}

  @Test
  void publishReachesEverySubscriberOfTheTopicAsTheirInputType() throws Exception {
    List<OrderCreated> audited = new CopyOnWriteArrayList<>();
    List<Object> mailed = new CopyOnWriteArrayList<>();
    List<Object> elsewhere = new CopyOnWriteArrayList<>();
    try (III subscriber = new III(engine.wsUrl());
        III publisher = new III(engine.wsUrl())) {
      subscriber.connect().get(5, TimeUnit.SECONDS);
      publisher.connect().get(5, TimeUnit.SECONDS);
      subscriber.registerFunction(
          "orders::audit",
          OrderCreated.class,
          order -> {
            audited.add(order);
            return null;
          });
      subscriber.registerFunction(
          "orders::mail",
          input -> {
            mailed.add(input);
            return null;
          });
      subscriber.registerFunction(
          "invoices::on",
          input -> {
            elsewhere.add(input);
            return null;
          });
      subscriber.registerTrigger("subscribe", "orders::audit", Map.of("topic", "orders.created"));
      subscriber.registerTrigger("subscribe", "orders::mail", Map.of("topic", "orders.created"));
      subscriber.registerTrigger("subscribe", "invoices::on", Map.of("topic", "invoices.created"));
      // The engine handles a connection's messages in order: once this call is answered, the
      // triggers sent before it are live.
      subscriber.listFunctions().get(5, TimeUnit.SECONDS);

      assertThat(
              publisher
                  .publish("orders.created", new OrderCreated("o-1", 42))
                  .get(5, TimeUnit.SECONDS))
          .isNull();
      publisher.publish("orders.created", null).get(5, TimeUnit.SECONDS);

      // The client runs handlers concurrently: the two events arrive in either order.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(audited).containsExactlyInAnyOrder(new OrderCreated("o-1", 42), null);
                assertThat(mailed)
                    .containsExactlyInAnyOrder(Map.of("id", "o-1", "amount", 42), null);
              });
      assertThat(elsewhere).isEmpty();
    }
  }

  @Test
  void anEmptyTopicFailsWithTheEnginesError() throws Exception {
    try (III client = new III(engine.wsUrl())) {
      client.connect().get(5, TimeUnit.SECONDS);

      assertThatThrownBy(() -> client.publish("", Map.of("a", 1)).get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              IIIException.class, e -> assertThat(e.code()).isEqualTo("topic_not_set"));
    }
  }
}
