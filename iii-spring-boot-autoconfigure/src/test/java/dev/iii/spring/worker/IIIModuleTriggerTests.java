package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.QueueConfig;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.annotation.QueueTrigger;
import dev.iii.spring.annotation.StateTrigger;
import dev.iii.spring.annotation.Subscribe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Functions bound to the engine's pub/sub, state, stream and queue workers by annotation, in a
 * running application against the embedded engine with those modules on: each fires when another
 * client publishes, writes or enqueues.
 */
class IIIModuleTriggerTests {

  private EmbeddedEngine engine;
  private ConfigurableApplicationContext context;
  private III caller;

  @BeforeEach
  void start() {
    engine =
        EmbeddedEngine.builder()
            .config(EngineConfig.development().withQueue(QueueConfig.defaults()))
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .build()
            .start();
    caller = new III(engine.wsUrl());
    caller.connect().join();
  }

  @AfterEach
  void stop() {
    caller.close();
    if (context != null) {
      context.close();
    }
    engine.close();
  }

  private Listeners run(Class<?> app, String... functions) {
    context =
        new SpringApplicationBuilder(app)
            .web(WebApplicationType.NONE)
            .properties("iii.url=" + engine.wsUrl())
            .run();
    WorkerTestSupport.awaitFunctions(caller, functions);
    return context.getBean(Listeners.class);
  }

  @Test
  void subscribeReceivesEveryPublishedEventOfItsTopic() {
    Listeners listeners = run(App.class, "audit::placed");

    caller.publish("orders.placed", Map.of("id", "o-1")).join();
    caller.publish("orders.cancelled", Map.of("id", "o-2")).join();
    caller.publish("orders.placed", Map.of("id", "o-3")).join();

    // Pub/sub promises no order, as in the official engine.
    await().atMost(Duration.ofSeconds(10)).until(() -> listeners.placed.size() == 2);
    assertThat(listeners.placed).containsExactlyInAnyOrder("o-1", "o-3");
  }

  @Test
  void stateTriggerSeesChangesOfItsScope() {
    Listeners listeners = run(App.class, "orders::changed");

    caller.call("state::set", Map.of("scope", "orders", "key", "o-1", "value", 1)).join();
    caller.call("state::set", Map.of("scope", "carts", "key", "c-1", "value", 1)).join();
    // Each write's fan-out is its own invocation, and the worker runs invocations concurrently:
    // events of separate writes have no set order, so the test waits for one before the next.
    await().atMost(Duration.ofSeconds(10)).until(() -> listeners.stateEvents.size() == 1);
    caller.call("state::delete", Map.of("scope", "orders", "key", "o-1")).join();

    await().atMost(Duration.ofSeconds(10)).until(() -> listeners.stateEvents.size() == 2);
    assertThat(listeners.stateEvents)
        .containsExactly("state:created orders/o-1", "state:deleted orders/o-1");
  }

  @Test
  void queueTriggerRetriesAFailedMessageUntilItSucceeds() {
    Listeners listeners = run(App.class, "jobs::resize");

    caller.call("iii::durable::publish", Map.of("topic", "images", "data", Map.of("id", "i-1")));

    await().atMost(Duration.ofSeconds(20)).until(() -> listeners.resized, ids -> !ids.isEmpty());
    assertThat(listeners.resized).containsExactly("i-1");
    assertThat(listeners.resizeAttempts.get()).isEqualTo(2);
  }

  @Test
  void aQueueTriggerWithoutTopicFailsStartup() {
    assertThatThrownBy(() -> run(BadQueueApp.class))
        .rootCause()
        .hasMessageContaining("@QueueTrigger topic is empty");
  }

  record Event(String id) {}

  /** The engine's state event, as far as this test reads it. */
  record StateEvent(String event_type, String scope, String key) {}

  static class Listeners {
    final List<String> placed = new CopyOnWriteArrayList<>();
    final List<String> resized = new CopyOnWriteArrayList<>();
    final AtomicInteger resizeAttempts = new AtomicInteger();
    final List<String> stateEvents = new CopyOnWriteArrayList<>();

    @IIIFunction(id = "orders::changed")
    @StateTrigger(scope = "orders")
    void changed(StateEvent event) {
      stateEvents.add(event.event_type() + " " + event.scope() + "/" + event.key());
    }

    @IIIFunction(id = "audit::placed")
    @Subscribe("orders.placed")
    void placed(Event event) {
      placed.add(event.id());
    }

    @IIIFunction(id = "jobs::resize")
    @QueueTrigger(topic = "images", maxRetries = 2, backoffMs = 10)
    void resize(Event event) {
      if (resizeAttempts.incrementAndGet() == 1) {
        throw new IllegalStateException("first attempt fails");
      }
      resized.add(event.id());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class App {
    @Bean
    Listeners listeners() {
      return new Listeners();
    }
  }

  static class BadQueue {
    @IIIFunction(id = "jobs::bad")
    @QueueTrigger(topic = "")
    void bad() {}
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class BadQueueApp {
    @Bean
    BadQueue bad() {
      return new BadQueue();
    }
  }
}
