package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitInvoked;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.TriggerConfig;
import dev.iii.TriggerHandler;
import dev.iii.it.node.Interop.Fixture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Custom trigger types across languages (official Node SDK 0.9.0): a trigger type provided by a
 * Java worker is used by a Node worker — the Java handler receives the Node trigger, fires it by
 * calling the bound Node function, and hears of its removal — and the reverse.
 */
class TriggerTypeInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("trigger-types");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  /** Records what the engine hands a Java trigger-type provider. */
  private static final class Recording implements TriggerHandler {
    final List<TriggerConfig> registered = new CopyOnWriteArrayList<>();
    final List<TriggerConfig> unregistered = new CopyOnWriteArrayList<>();

    @Override
    public void registerTrigger(TriggerConfig config) {
      registered.add(config);
    }

    @Override
    public void unregisterTrigger(TriggerConfig config) {
      unregistered.add(config);
    }
  }

  @Test
  void nodeWorkerUsesATriggerTypeProvidedByJava() {
    Fixture f = fixtures.get("0.9.0");
    String type = uniqueId("java-webhook");
    String target = uniqueId("node::on-webhook");
    Recording provider = new Recording();
    f.java().registerTriggerType(type, "Webhooks received by the Java worker", provider);
    f.node().result("register", Map.of("id", target, "behavior", "echo"));
    awaitJavaSees(f.java(), target);

    JsonNode registration =
        f.node()
            .result(
                "registerTrigger",
                Map.of("type", type, "function_id", target, "config", Map.of("path", "/hook")));
    String triggerId = registration.path("id").asString();

    await().atMost(WAIT).until(() -> provider.registered.size() == 1);
    assertThat(provider.registered.get(0))
        .isEqualTo(new TriggerConfig(triggerId, target, Map.of("path", "/hook")));

    // The provider fires the trigger by calling the bound function.
    Object echoed = get(f.java().call(target, Map.of("event", "push")));
    assertThat(echoed).isEqualTo(Map.of("event", "push", "_caller_worker_id", f.javaWorkerId()));
    assertThat(awaitInvoked(f.node(), target).path("data").path("event").asString())
        .isEqualTo("push");

    f.node().result("unregisterTrigger", Map.of("id", triggerId));
    await().atMost(WAIT).until(() -> provider.unregistered.size() == 1);
    assertThat(provider.unregistered.get(0).id()).isEqualTo(triggerId);
  }

  @Test
  void javaWorkerUsesATriggerTypeProvidedByNode() {
    Fixture f = fixtures.get("0.9.0");
    String type = uniqueId("node-queue");
    String target = uniqueId("java::on-message");
    CompletableFuture<Object> fired = new CompletableFuture<>();
    f.java()
        .registerFunction(
            target,
            input -> {
              fired.complete(input);
              return null;
            });
    awaitNodeSees(f.node(), target);
    f.node().result("registerTriggerType", Map.of("id", type, "description", "Node queue"));

    // Java may register before or after the type exists: the engine keeps the trigger.
    var trigger = f.java().registerTrigger(type, target, Map.of("topic", "orders"));

    JsonNode registered =
        f.node()
            .awaitEvent(
                e ->
                    e.path("event").asString("").equals("triggerRegistered")
                        && e.path("trigger_type").asString("").equals(type),
                WAIT);
    assertThat(registered.path("trigger").path("id").asString()).isEqualTo(trigger.id());
    assertThat(registered.path("trigger").path("function_id").asString()).isEqualTo(target);
    assertThat(registered.path("trigger").path("config").path("topic").asString())
        .isEqualTo("orders");

    f.node().result("callVoid", Map.of("function_id", target, "data", Map.of("order", 7)));
    assertThat(((Map<?, ?>) get(fired)).get("order")).isEqualTo(7);
  }
}
