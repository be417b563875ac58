package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.boot.autoconfigure.IIIAutoConfiguration;
import dev.iii.spring.boot.autoconfigure.IIIEmbeddedEngineAutoConfiguration;
import dev.iii.spring.boot.autoconfigure.IIIWorkerAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Per-function limits from {@code @IIIFunction(concurrency, queueCapacity)} and {@code
 * iii.worker.functions[id].*}, a full queue refused at once, and the per-function meters.
 */
class IIIFunctionConcurrencyLimitsTests {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aFullQueueIsRefusedAndTheMetersShowDepthAndRejections() throws Exception {
    try (ConfigurableApplicationContext context = run(Map.of());
        III caller = new III(context.getBean(EmbeddedEngine.class).wsUrl())) {
      Limited limited = context.getBean(Limited.class);
      IIIFunctionRegistry registry = context.getBean(IIIFunctionRegistry.class);
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      caller.connect().join();
      WorkerTestSupport.awaitFunctions(caller, "limited::one");

      CompletableFuture<Object> running = caller.call("limited::one", 1, Duration.ofSeconds(60));
      assertThat(limited.entered.await(20, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Object> queued = caller.call("limited::one", 2, Duration.ofSeconds(60));
      await().atMost(WAIT).until(() -> load(registry, "limited::one").queued() == 1);

      assertThatThrownBy(() -> caller.call("limited::one", 3).get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              IIIException.class,
              e -> {
                assertThat(e.code()).isEqualTo(IIIException.UNAVAILABLE);
                assertThat(e.errorMessage()).contains("limited::one", "overloaded");
              });
      assertThat(meters.get("iii.function.queued").tag("function", "limited::one").gauge().value())
          .isEqualTo(1.0);
      assertThat(meters.get("iii.function.running").tag("function", "limited::one").gauge().value())
          .isEqualTo(1.0);
      assertThat(
              meters
                  .get("iii.function.rejected")
                  .tags("function", "limited::one", "reason", "overloaded")
                  .functionCounter()
                  .count())
          .isEqualTo(1.0);

      limited.release.countDown();
      assertThat(running.get(20, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(queued.get(20, TimeUnit.SECONDS)).isEqualTo(2);
    }
  }

  @Test
  void aPropertyPerFunctionOverridesTheAnnotationAndTheDefaults() {
    try (ConfigurableApplicationContext context =
        // A map: SpringApplicationBuilder would split "key=value" at the id's colon.
        run(
            Map.of(
                "iii.worker.max-concurrency", "3",
                "iii.worker.max-queued", "7",
                "iii.worker.functions[limited::one].queue-capacity", "5"))) {
      IIIFunctionRegistry registry = context.getBean(IIIFunctionRegistry.class);

      IIIFunctionLoad limitedOne = load(registry, "limited::one");
      assertThat(limitedOne.concurrency()).isEqualTo(1); // the annotation
      assertThat(limitedOne.queueCapacity()).isEqualTo(5); // the property
      IIIFunctionLoad plain = load(registry, "plain::echo");
      assertThat(plain.concurrency()).isEqualTo(3);
      assertThat(plain.queueCapacity()).isEqualTo(7);
    }
  }

  private static IIIFunctionLoad load(IIIFunctionRegistry registry, String id) {
    return registry.functionLoads().stream()
        .filter(load -> load.functionId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static ConfigurableApplicationContext run(Map<String, Object> properties) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties(
            "iii.embedded.enabled=true",
            "iii.embedded.port=0",
            "iii.embedded.http-port=0",
            "iii.embedded.stream-port=0",
            "iii.enable-metrics-reporting=false")
        .properties(properties)
        .run();
  }

  /** One invocation at a time, one more waiting. */
  static class Limited {

    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @IIIFunction(id = "limited::one", concurrency = 1, queueCapacity = 1)
    int one(int n) throws InterruptedException {
      entered.countDown();
      release.await();
      return n;
    }

    @IIIFunction(id = "plain::echo")
    String echo(String text) {
      return text;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
    IIIEmbeddedEngineAutoConfiguration.class,
    IIIAutoConfiguration.class,
    IIIWorkerAutoConfiguration.class
  })
  static class App {

    @Bean
    Limited limited() {
      return new Limited();
    }

    @Bean
    SimpleMeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }
}
