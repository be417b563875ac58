package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.engine.config.PubSubConfig;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.modules.pubsub.PubSubModule;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.ServiceRegistry;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.WorkerRegistry;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.router.MessageRouter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The module on its own, with in-engine subscribers whose answers the test controls: a slow
 * subscriber holds at most the bound of deliveries, the rest are dropped and logged, and it
 * receives again once it catches up; publishing never waits for a subscriber.
 */
class PubSubBoundsTest {

  private static final int BOUND = 3;

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final FunctionRegistry functions = new FunctionRegistry();
  private final TriggerRegistry triggers = new TriggerRegistry();
  private final InvocationRouter invocations = new InvocationRouter(functions, triggers);
  private final PubSubModule module = new PubSubModule(PubSubConfig.defaults(), BOUND);

  /** Deliveries to {@code slow::on} the test has not answered yet, with their data. */
  private final List<CompletableFuture<@Nullable JsonNode>> pending = new CopyOnWriteArrayList<>();

  private final List<JsonNode> slowData = new CopyOnWriteArrayList<>();
  private final List<JsonNode> fastData = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    WorkerRegistry workers = new WorkerRegistry();
    module.start(
        new ModuleContext(
            workers,
            functions,
            triggers,
            invocations,
            new MessageRouter(workers, functions, triggers, new ServiceRegistry(), invocations),
            new ChannelRegistry(),
            scheduler));
    functions.register(
        RegisteredFunction.builtin(
            "slow::on",
            "answers when the test says so",
            input -> {
              slowData.add(input);
              CompletableFuture<@Nullable JsonNode> answer = new CompletableFuture<>();
              pending.add(answer);
              return answer;
            }));
    functions.register(
        RegisteredFunction.builtin(
            "fast::on",
            "answers at once",
            input -> {
              fastData.add(input);
              return CompletableFuture.completedFuture(null);
            }));
    subscribe("t-slow", "slow::on");
    subscribe("t-fast", "fast::on");
  }

  @AfterEach
  void stop() {
    module.close();
    scheduler.shutdownNow();
  }

  private void subscribe(String id, String functionId) {
    triggers.register(
        new Trigger(
            id,
            PubSubModule.TRIGGER_TYPE,
            functionId,
            JsonNodeFactory.instance.objectNode().put("topic", "load"),
            null));
  }

  private CompletableFuture<@Nullable JsonNode> publish(int n) {
    return invocations.call(
        PubSubModule.PUBLISH,
        JsonNodeFactory.instance.objectNode().put("topic", "load").put("data", n));
  }

  @Test
  void aSlowSubscriberHoldsAtMostTheBoundAndTheRestIsDroppedAndLogged() {
    try (EngineLogCapture logs = new EngineLogCapture()) {
      for (int n = 0; n < 5; n++) {
        assertThat(publish(n)).as("publish %s answers without waiting", n).isCompleted();
      }

      assertThat(slowData).extracting(JsonNode::asInt).containsExactly(0, 1, 2);
      assertThat(fastData).extracting(JsonNode::asInt).containsExactly(0, 1, 2, 3, 4);
      assertThat(logs.warnings())
          .anyMatch(w -> w.contains("dropped for slow::on") && w.contains("t-slow"));
    }
  }

  @Test
  void aSlowSubscriberReceivesAgainOnceItCatchesUp() {
    for (int n = 0; n < 4; n++) {
      publish(n);
    }
    pending.get(0).complete(null);
    pending.get(1).completeExceptionally(new IllegalStateException("handler failed"));

    publish(4);
    publish(5);
    publish(6);

    assertThat(slowData).extracting(JsonNode::asInt).containsExactly(0, 1, 2, 4, 5);
  }

  @Test
  void subscriptionsAreCountedAndForgottenWithTheirTopic() {
    assertThat(module.topics()).containsExactly("load");
    assertThat(module.subscriptionCount()).isEqualTo(2);

    triggers.unregister("t-slow");
    triggers.unregister("t-fast");

    assertThat(module.topics()).isEmpty();
    assertThat(module.subscriptionCount()).isZero();
  }
}
