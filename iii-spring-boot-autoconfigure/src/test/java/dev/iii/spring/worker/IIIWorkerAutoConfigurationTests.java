package dev.iii.spring.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.IIIException;
import dev.iii.spring.annotation.IIIFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker support in a full Boot application: the auto-configured client connects, the functions
 * register, and invocations are recorded as metrics.
 */
class IIIWorkerAutoConfigurationTests extends EngineAndCallerSupport {

  @Test
  void autoConfiguredClientServesFunctionsAndRecordsInvocations() {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("iii.url=" + engine.wsUrl())
            .run()) {
      WorkerTestSupport.awaitFunctions(caller, "math::double");

      assertThat(caller.call("math::double", Map.of("value", 21)).join()).isEqualTo(42);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                Timer timer =
                    context
                        .getBean(MeterRegistry.class)
                        .find("iii.function.invocation")
                        .tags("function", "math::double", "outcome", "success")
                        .timer();
                assertThat(timer).isNotNull();
                assertThat(timer.count()).isEqualTo(1);
              });
      assertThat(context.getBean(IIIFunctionRegistry.class).registeredFunctionCount()).isEqualTo(1);
    }
  }

  @Test
  void invalidArgumentIsRecordedAsClientError() {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("iii.url=" + engine.wsUrl())
            .run()) {
      WorkerTestSupport.awaitFunctions(caller, "math::double");

      assertThat(caller.call("math::double", Map.of("value", "x")))
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableThat()
          .havingCause()
          .isInstanceOfSatisfying(
              IIIException.class, e -> assertThat(e.code()).isEqualTo("invalid_argument"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  context
                          .getBean(MeterRegistry.class)
                          .find("iii.function.invocation")
                          .tags("function", "math::double", "outcome", "client_error")
                          .timer()
                      != null);
    }
  }

  record Value(int value) {}

  /** A function on a plain bean. */
  static class MathFunctions {

    @IIIFunction(id = "math::double")
    int twice(Value input) {
      return input.value() * 2;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {

    @Bean
    MathFunctions mathFunctions() {
      return new MathFunctions();
    }
  }
}
