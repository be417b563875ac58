package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.IIIClient;
import dev.iii.InvocationStats;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.boot.autoconfigure.IIIAutoConfiguration;
import dev.iii.spring.boot.autoconfigure.IIIWorkerAutoConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Issue 10 point 6, against the embedded engine with the whole starter: a shutdown drains every
 * invocation already received, queued ones included, and a slow function cannot starve the others.
 * The slow functions block on a latch the test opens, so nothing depends on the machine's speed.
 * The engine is the test's, as a worker's engine outlives the worker's shutdown.
 */
class IIIFunctionShutdownAndStarvationTests extends EngineAndCallerSupport {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void shutdownCompletesEveryInvocationReceivedQueuedOnesIncluded() throws Exception {
    ConfigurableApplicationContext context =
        run("iii.worker.max-concurrency=2", "iii.worker.shutdown-timeout=30s");
    Blocking blocking = context.getBean(Blocking.class);
    IIIClient worker = context.getBean(IIIClient.class);
    try {
      WorkerTestSupport.awaitFunctions(caller, "slow::work");
      List<CompletableFuture<Object>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(caller.call("slow::work", i, Duration.ofSeconds(60)));
      }
      // All 20 received by the worker: 2 running, 18 waiting for a slot.
      await().atMost(WAIT).until(() -> received(worker) == 20);
      assertThat(blocking.entered.get()).isEqualTo(2);

      CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
      // Stop began: the function is unregistered while its invocations still wait.
      await()
          .atMost(WAIT)
          .until(() -> !WorkerTestSupport.functionIds(caller).contains("slow::work"));
      assertThat(closed).isNotDone();

      blocking.release.countDown();

      for (int i = 0; i < 20; i++) {
        assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
      }
      closed.get(30, TimeUnit.SECONDS);
      assertThat(blocking.entered.get()).isEqualTo(20);
    } finally {
      blocking.release.countDown();
      context.close();
    }
  }

  @Test
  void aFastFunctionCompletesWhileTwoSlowOnesHoldTheirOwnLimits() throws Exception {
    try (ConfigurableApplicationContext context = run("iii.worker.max-concurrency=2")) {
      Blocking blocking = context.getBean(Blocking.class);
      WorkerTestSupport.awaitFunctions(caller, "slow::work", "slow::other", "fast::ping");
      List<CompletableFuture<Object>> slow = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        slow.add(caller.call("slow::work", i, Duration.ofSeconds(60)));
        slow.add(caller.call("slow::other", i, Duration.ofSeconds(60)));
      }
      // Each slow function holds its own 2 slots, with one more call waiting behind them.
      await().atMost(WAIT).until(() -> blocking.entered.get() == 4);

      Object fast =
          caller.call("fast::ping", "hi", Duration.ofSeconds(60)).get(30, TimeUnit.SECONDS);

      assertThat(fast).isEqualTo("pong hi");
      assertThat(slow).noneMatch(CompletableFuture::isDone);
      blocking.release.countDown();
      for (CompletableFuture<Object> call : slow) {
        call.get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Invocations the worker has received and not yet answered: running plus waiting. */
  private static int received(IIIClient worker) {
    InvocationStats stats = worker.invocationStats();
    return stats.inFlight() + stats.queued();
  }

  private ConfigurableApplicationContext run(String... properties) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("iii.url=" + engine.wsUrl(), "iii.enable-metrics-reporting=false")
        .properties(properties)
        .run();
  }

  /** Slow functions blocked on one latch, and a fast one. */
  static class Blocking {

    final AtomicInteger entered = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @IIIFunction(id = "slow::work")
    int work(int n) throws InterruptedException {
      entered.incrementAndGet();
      release.await();
      return n;
    }

    @IIIFunction(id = "slow::other")
    int other(int n) throws InterruptedException {
      entered.incrementAndGet();
      release.await();
      return n;
    }

    @IIIFunction(id = "fast::ping")
    String ping(String text) {
      return "pong " + text;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({IIIAutoConfiguration.class, IIIWorkerAutoConfiguration.class})
  static class App {

    @Bean
    Blocking blocking() {
      return new Blocking();
    }
  }
}
