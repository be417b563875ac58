package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.ConnectionState;
import dev.iii.IIIClient;
import dev.iii.spring.annotation.IIIFunction;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Registration follows the application's lifecycle, and shutdown drains running invocations. */
class IIIFunctionLifecycleTests extends EngineAndCallerSupport {

  @Test
  void stoppingTheContextUnregistersFunctionsWhileTheClientStaysConnected() {
    try (ConfigurableApplicationContext context = run()) {
      WorkerTestSupport.awaitFunctions(caller, "slow::echo");

      context.stop();

      assertThat(context.getBean(IIIFunctionRegistry.class).registeredFunctionCount()).isZero();
      assertThat(context.getBean(IIIClient.class).getConnectionState())
          .isEqualTo(ConnectionState.CONNECTED);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !WorkerTestSupport.functionIds(caller).contains("slow::echo"));
    }
  }

  @Test
  void closeWaitsForTheRunningInvocationAndTheCallerGetsItsResult() throws Exception {
    ConfigurableApplicationContext context = run();
    Slow slow = context.getBean(Slow.class);
    WorkerTestSupport.awaitFunctions(caller, "slow::echo");
    CompletableFuture<Object> call = caller.call("slow::echo", "done");
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
    // Unregistered first, so the engine stops routing here, while the invocation still runs.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !WorkerTestSupport.functionIds(caller).contains("slow::echo"));
    assertThat(closed).isNotDone();
    assertThat(context.getBean(IIIFunctionRegistry.class).inFlight()).isEqualTo(1);

    slow.release.countDown();

    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    closed.get(10, TimeUnit.SECONDS);
    assertThat(context.isActive()).isFalse();
  }

  @Test
  void disabledWorkerRegistersNothing() {
    try (ConfigurableApplicationContext context = run("iii.worker.enabled=false")) {
      IIIFunctionRegistry registry = context.getBean(IIIFunctionRegistry.class);
      IIIClient client = context.getBean(IIIClient.class);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.getConnectionState() == ConnectionState.CONNECTED);

      assertThat(registry.getEndpoints())
          .extracting(IIIFunctionEndpoint::id)
          .containsExactly("slow::echo");
      assertThat(registry.registeredFunctionCount()).isZero();
      assertThat(WorkerTestSupport.functionIds(caller)).doesNotContain("slow::echo");
    }
  }

  private ConfigurableApplicationContext run(String... properties) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("iii.url=" + engine.wsUrl())
        .properties(properties)
        .run();
  }

  /** A function that blocks until the test releases it. */
  static class Slow {

    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @IIIFunction(id = "slow::echo")
    String echo(String text) throws InterruptedException {
      entered.countDown();
      release.await();
      return text;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WorkerTestSupport.ClientConfig.class)
  static class App {

    @Bean
    Slow slow() {
      return new Slow();
    }
  }
}
