package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitInvoked;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.JSON;
import static dev.iii.it.node.V022.SDK;
import static dev.iii.it.node.V022.builtin;
import static dev.iii.it.node.V022.invocations;
import static dev.iii.it.node.V022.syncEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.it.node.Interop.Fixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The {@code iii-pubsub} module between the official Node SDK 0.22.1 and the Java client through
 * our engine, the way the SDK's own pub/sub tests use it ({@code trigger({function_id: 'publish',
 * payload: {topic, data}})} and {@code registerTrigger({type: 'subscribe', config: {topic}})}):
 * Node publishes to a Java subscriber, Java to a Node subscriber, Node to Node; every subscriber
 * receives the published {@code data} as is.
 */
class PubSubInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("pubsub");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  /** Registers a Node subscriber and waits until the engine lists its trigger. */
  private static void nodeSubscribes(Fixture f, String functionId, String topic) {
    f.node().result("register", Map.of("id", functionId, "behavior", "echo"));
    String triggerId =
        f.node()
            .result(
                "registerTrigger",
                Map.of(
                    "type",
                    "subscribe",
                    "function_id",
                    functionId,
                    "config",
                    Map.of("topic", topic)))
            .path("id")
            .asString();
    await("subscribe trigger " + triggerId + " registered")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                builtin(f.node(), "engine::registered-triggers::list", Map.of())
                    .path("registered_triggers")
                    .toString(),
            listed -> listed.contains(triggerId));
  }

  private static Map<String, Object> publishInput(String topic, Object data) {
    return Map.of("topic", topic, "data", data);
  }

  @Test
  void aNodePublishReachesJavaSubscribers() {
    Fixture f = fixtures.get(SDK);
    String topic = uniqueId("orders.created");
    String functionId = uniqueId("java::on-order");
    List<Object> received = new CopyOnWriteArrayList<>();
    f.java()
        .registerFunction(
            functionId,
            input -> {
              received.add(input);
              return null;
            });
    f.java().registerTrigger("subscribe", functionId, Map.of("topic", topic));
    // The engine handles a connection's messages in order: the trigger is live once this returns.
    get(f.java().listFunctions());

    JsonNode result =
        f.node()
            .result(
                "call",
                Map.of(
                    "function_id",
                    "publish",
                    "data",
                    publishInput(topic, Map.of("orderId", "abc-123", "total", 9.5))));

    assertThat(result.isNull()).as("publish answers null, got %s", result).isTrue();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(received).containsExactly(Map.of("orderId", "abc-123", "total", 9.5)));
  }

  @Test
  void aJavaPublishReachesNodeSubscribers() {
    Fixture f = fixtures.get(SDK);
    String topic = uniqueId("orders.shipped");
    String functionId = uniqueId("node::on-shipped");
    nodeSubscribes(f, functionId, topic);

    get(f.java().publish(topic, Map.of("orderId", "abc-123", "address", "123 Main St")));

    JsonNode invoked = awaitInvoked(f.node(), functionId);
    assertThat(invoked.path("data"))
        .isEqualTo(JSON.valueToTree(Map.of("orderId", "abc-123", "address", "123 Main St")));
  }

  @Test
  void aNodePublishReachesEveryNodeSubscriberOfTheTopicAndNoOther() {
    Fixture f = fixtures.get(SDK);
    String topic = uniqueId("news");
    String other = uniqueId("weather");
    String first = uniqueId("node::news-a");
    String second = uniqueId("node::news-b");
    String elsewhere = uniqueId("node::weather");
    nodeSubscribes(f, first, topic);
    nodeSubscribes(f, second, topic);
    nodeSubscribes(f, elsewhere, other);

    // Fire and forget, as the iii-pubsub README publishes (TriggerAction.Void()).
    f.node()
        .result(
            "callVoid",
            Map.of("function_id", "publish", "data", publishInput(topic, List.of(1, "two"))));

    assertThat(awaitInvoked(f.node(), first).path("data"))
        .isEqualTo(JSON.valueToTree(List.of(1, "two")));
    assertThat(awaitInvoked(f.node(), second).path("data"))
        .isEqualTo(JSON.valueToTree(List.of(1, "two")));
    // The other topic's subscriber gets only what is published to its own topic.
    f.node().result("call", Map.of("function_id", "publish", "data", publishInput(other, "sunny")));
    assertThat(awaitInvoked(f.node(), elsewhere).path("data").asString()).isEqualTo("sunny");
    syncEvents(f.node());
    assertThat(invocations(f.node(), elsewhere)).hasSize(1);
    assertThat(invocations(f.node(), first)).hasSize(1);
  }

  @Test
  void anEmptyTopicIsRefusedToTheNodeSdk() {
    Fixture f = fixtures.get(SDK);

    JsonNode error =
        f.node()
            .error("call", Map.of("function_id", "publish", "data", publishInput("", Map.of())));

    assertThat(error.path("code").asString()).as("error %s", error).isEqualTo("topic_not_set");
    // The SDK's error message puts the code first: "topic_not_set: Topic is not set".
    assertThat(error.path("message").asString()).endsWith("Topic is not set");
  }
}
