package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.spring.boot.autoconfigure.IIIAutoConfiguration;
import dev.iii.spring.boot.autoconfigure.IIIWorkerAutoConfiguration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The executor the functions run on: platform threads, or virtual threads with {@code
 * spring.threads.virtual.enabled=true} on Java 21 and later, as Spring Boot's own executors.
 */
class IIIFunctionExecutorTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(IIIAutoConfiguration.class, IIIWorkerAutoConfiguration.class))
          // Nothing listens there; the client retries in the background.
          .withPropertyValues("iii.url=ws://127.0.0.1:1");

  @Test
  void platformThreadsByDefault() {
    runner.run(
        context ->
            assertThat(
                    context.getBean(
                        IIIWorkerAutoConfiguration.FUNCTION_EXECUTOR_BEAN_NAME, Executor.class))
                .isInstanceOf(ThreadPoolExecutor.class));
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_20)
  void platformThreadsBeforeJava21EvenWhenVirtualThreadsAreAskedFor() {
    runner
        .withPropertyValues("spring.threads.virtual.enabled=true")
        .run(
            context ->
                assertThat(
                        context.getBean(
                            IIIWorkerAutoConfiguration.FUNCTION_EXECUTOR_BEAN_NAME, Executor.class))
                    .isInstanceOf(ThreadPoolExecutor.class));
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void virtualThreadsWhenEnabledOnJava21() {
    runner
        .withPropertyValues("spring.threads.virtual.enabled=true")
        .run(
            context -> {
              Executor executor =
                  context.getBean(
                      IIIWorkerAutoConfiguration.FUNCTION_EXECUTOR_BEAN_NAME, Executor.class);
              assertThat(executor).isInstanceOf(SimpleAsyncTaskExecutor.class);
              CompletableFuture<String> thread = new CompletableFuture<>();
              executor.execute(() -> thread.complete(Thread.currentThread().toString()));
              assertThat(thread.get(10, TimeUnit.SECONDS)).contains("VirtualThread");
            });
  }
}
