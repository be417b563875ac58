package dev.iii.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.iii.Context;
import dev.iii.IIIClient;
import dev.iii.IIIException;
import dev.iii.protocol.FunctionInfo;
import dev.iii.spring.annotation.IIIFunction;
import dev.iii.spring.boot.autoconfigure.observation.IIIObservations;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Call timers and observations against the embedded engine: {@code iii.client.call} is timed, and
 * the {@code traceparent} a sender-side observation handler injects arrives at the receiving
 * function's observation.
 */
class IIIObservabilityTests {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  IIIEmbeddedEngineAutoConfiguration.class,
                  IIIAutoConfiguration.class,
                  IIIWorkerAutoConfiguration.class,
                  IIIMetricsAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class))
          .withUserConfiguration(App.class)
          .withPropertyValues(
              "iii.embedded.enabled=true",
              "iii.embedded.port=0",
              "iii.embedded.http-port=0",
              "iii.embedded.stream-port=0",
              "iii.enable-metrics-reporting=false");

  @Test
  void callsAreTimedWithTheirOutcome() {
    runner.run(
        context -> {
          IIIClient client = context.getBean(IIIClient.class);
          awaitFunction(client, "obs::echo");
          MeterRegistry meters = context.getBean(MeterRegistry.class);

          assertThat(client.call("obs::echo", Map.of("a", 1)).join()).isEqualTo(Map.of("a", 1));
          Throwable missing = catchThrowable(() -> client.call("obs::missing", null).join());

          assertThat(missing).isInstanceOf(CompletionException.class);
          assertThat(missing.getCause()).isInstanceOf(IIIException.class);
          assertThat(((IIIException) missing.getCause()).code())
              .isEqualTo(IIIException.FUNCTION_NOT_FOUND);
          assertThat(
                  meters
                      .get("iii.client.call")
                      .tag("function", "obs::echo")
                      .tag("outcome", "success")
                      .timer()
                      .count())
              .isEqualTo(1);
          assertThat(
                  meters
                      .get("iii.client.call")
                      .tag("function", "obs::missing")
                      .tag("outcome", "client_error")
                      .timer()
                      .count())
              .isEqualTo(1);
          // The worker side's timer comes from its observation too.
          assertThat(
                  meters
                      .get("iii.function.invocation")
                      .tag("function", "obs::echo")
                      .tag("outcome", "success")
                      .timer()
                      .count())
              .isEqualTo(1);
        });
  }

  @Test
  void theTraceparentOfTheCallReachesTheFunctionsObservation() {
    runner.run(
        context -> {
          IIIClient client = context.getBean(IIIClient.class);
          Recorder recorder = context.getBean(Recorder.class);
          awaitFunction(client, "obs::echo");
          recorder.clear();

          client.call("obs::echo", "hello").join();

          await()
              .atMost(WAIT)
              .untilAsserted(
                  () ->
                      assertThat(recorder.stopped())
                          .contains("iii.client.call", "iii.function.invocation"));
          Observation.Context call = recorder.stoppedContext("iii.client.call");
          assertThat(call).isInstanceOf(SenderContext.class);
          assertThat(lowCardinality(call))
              .containsEntry(IIIObservations.FUNCTION_ID, "obs::echo")
              .containsEntry(IIIObservations.OUTCOME, "success");

          Observation.Context invocation = recorder.stoppedContext("iii.function.invocation");
          assertThat(invocation).isInstanceOf(ReceiverContext.class);
          assertThat(invocation.getContextualName()).isEqualTo("obs::echo");
          assertThat(lowCardinality(invocation))
              .containsEntry(IIIObservations.FUNCTION_ID, "obs::echo")
              .containsEntry(IIIObservations.OUTCOME, "success");
          // The handler saw the traceparent through the receiver context's getter ...
          assertThat(recorder.receivedTraceparents()).containsExactly(TRACEPARENT);
          // ... and the function ran with the observation current and the caller's trace context.
          Functions functions = context.getBean(Functions.class);
          assertThat(functions.seenTraceparents).containsExactly(TRACEPARENT);
          assertThat(functions.seenObservations).containsExactly("iii.function.invocation");
        });
  }

  @Test
  void aFailingFunctionsObservationRecordsTheError() {
    runner.run(
        context -> {
          IIIClient client = context.getBean(IIIClient.class);
          Recorder recorder = context.getBean(Recorder.class);
          awaitFunction(client, "obs::fail");
          recorder.clear();

          Throwable failure = catchThrowable(() -> client.call("obs::fail", null).join());

          assertThat(failure).isNotNull();
          await()
              .atMost(WAIT)
              .untilAsserted(
                  () -> assertThat(recorder.stopped()).contains("iii.function.invocation"));
          Observation.Context invocation = recorder.stoppedContext("iii.function.invocation");
          assertThat(lowCardinality(invocation))
              .containsEntry(IIIObservations.OUTCOME, "server_error");
          assertThat(invocation.getError()).isInstanceOf(IllegalStateException.class);
          Observation.Context call = recorder.stoppedContext("iii.client.call");
          assertThat(lowCardinality(call)).containsEntry(IIIObservations.OUTCOME, "server_error");
          assertThat(call.getError()).isInstanceOf(IIIException.class);
        });
  }

  @Test
  void observationsCanBeSwitchedOff() {
    runner
        .withPropertyValues("iii.observations.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(IIIObservations.class);
              assertThat(context).doesNotHaveBean("iiiInvocationObservationObserver");
              assertThat(context).hasBean("iiiClientCallMetricsCustomizer");
            });
  }

  @Test
  void noObservationsWithoutAnObservationRegistry() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(IIIAutoConfiguration.class, IIIWorkerAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(IIIObservations.class);
              assertThat(context).doesNotHaveBean("iiiClientObservationCustomizer");
            });
  }

  private static void awaitFunction(IIIClient client, String id) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.listFunctions().join().stream()
                    .map(FunctionInfo::functionId)
                    .anyMatch(id::equals));
  }

  private static Map<String, String> lowCardinality(Observation.Context context) {
    return context.getLowCardinalityKeyValues().stream()
        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  @Configuration(proxyBeanMethods = false)
  static class App {

    @Bean
    Recorder recorder() {
      return new Recorder();
    }

    /**
     * As Boot sets it up: observations also make timers (through the meter handler), so the iii
     * timers come from the observations and are not recorded a second time.
     */
    @Bean
    ObservationRegistry observationRegistry(
        Recorder recorder, org.springframework.beans.factory.ObjectProvider<MeterRegistry> meters) {
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(recorder);
      registry
          .observationConfig()
          .observationHandler(
              new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(
                  meters.getObject()));
      return registry;
    }

    @Bean
    Functions functions(ObservationRegistry registry) {
      return new Functions(registry);
    }
  }

  /** The application's functions; they note what they see of the trace. */
  static class Functions {

    final List<String> seenTraceparents = new CopyOnWriteArrayList<>();
    final List<String> seenObservations = new CopyOnWriteArrayList<>();
    private final ObservationRegistry registry;

    Functions(ObservationRegistry registry) {
      this.registry = registry;
    }

    @IIIFunction(id = "obs::echo")
    Object echo(Object input) {
      seenTraceparents.add(String.valueOf(Context.current().traceparent()));
      Observation current = registry.getCurrentObservation();
      seenObservations.add(current == null ? "none" : current.getContext().getName());
      return input;
    }

    @IIIFunction(id = "obs::fail")
    Object fail(@Nullable Object input) {
      throw new IllegalStateException("boom");
    }
  }

  /**
   * A stand-in for a tracing bridge: injects {@link #TRACEPARENT} on the sender side, reads it on
   * the receiver side, and records every stopped observation.
   */
  static class Recorder implements ObservationHandler<Observation.Context> {

    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    @SuppressWarnings("unchecked")
    public void onStart(Observation.Context context) {
      if (context instanceof SenderContext<?> sender) {
        SenderContext<Object> any = (SenderContext<Object>) sender;
        any.getSetter().set(any.getCarrier(), "traceparent", TRACEPARENT);
      } else if (context instanceof ReceiverContext<?> receiver) {
        ReceiverContext<Object> any = (ReceiverContext<Object>) receiver;
        String traceparent = any.getGetter().get(any.getCarrier(), "traceparent");
        received.add(String.valueOf(traceparent));
      }
    }

    @Override
    public void onStop(Observation.Context context) {
      stopped.add(context);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }

    void clear() {
      stopped.clear();
      received.clear();
    }

    List<String> stopped() {
      return stopped.stream().map(Observation.Context::getName).toList();
    }

    Observation.Context stoppedContext(String name) {
      return stopped.stream().filter(c -> name.equals(c.getName())).findFirst().orElseThrow();
    }

    List<String> receivedTraceparents() {
      return List.copyOf(received);
    }
  }
}
