package dev.iii.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.ConnectionState;
import dev.iii.III;
import dev.iii.IIIClient;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.engine.config.EngineLimits;
import dev.iii.spring.boot.autoconfigure.metrics.IIIMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The whole starter core against a real (embedded) engine: connect, health, metrics, failures. */
class IIIEmbeddedEngineAutoConfigurationTests {

  private static final Duration CONNECT_WAIT = Duration.ofSeconds(15);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  IIIEmbeddedEngineAutoConfiguration.class,
                  IIIAutoConfiguration.class,
                  IIIHealthContributorAutoConfiguration.class,
                  IIIMetricsAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class))
          .withPropertyValues(
              "iii.embedded.port=0",
              "iii.embedded.http-port=0",
              "iii.embedded.stream-port=0",
              "iii.reconnection.initial-delay=100ms",
              "iii.reconnection.max-delay=500ms");

  @Test
  void noEngineUnlessEnabled() {
    runner.run(context -> assertThat(context).doesNotHaveBean(EmbeddedEngine.class));
  }

  @Test
  void theClientConnectsToTheEmbeddedEngineAndReportsItsHealth() throws IOException {
    String configuredUrl = "ws://127.0.0.1:" + IIIAutoConfigurationTests.closedPort();
    runner
        .withPropertyValues(
            "iii.embedded.enabled=true",
            "iii.url=" + configuredUrl,
            // No grace: a lost connection is reported DOWN at once.
            "iii.health.reconnect-grace=0s")
        .run(
            context -> {
              EmbeddedEngine engine = context.getBean(EmbeddedEngine.class);
              assertThat(engine.isRunning()).isTrue();
              assertThat(engine.port()).isNotEqualTo(EmbeddedEngine.DEFAULT_PORT);
              III client = context.getBean(III.class);
              assertThat(client.address()).isEqualTo(URI.create(engine.wsUrl()));

              await()
                  .atMost(CONNECT_WAIT)
                  .until(
                      () ->
                          client.getConnectionState() == ConnectionState.CONNECTED
                              && client.workerId().isPresent());
              HealthIndicator indicator =
                  context.getBean("iiiHealthIndicator", HealthIndicator.class);
              Health health = indicator.health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("url", engine.wsUrl())
                  .containsEntry("state", "CONNECTED")
                  .containsEntry("workerId", client.workerId().orElseThrow())
                  .doesNotContainKey("functions");

              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(registry.get("iii.client.connected").gauge().value()).isEqualTo(1.0);
              assertThat(registry.get("iii.client.state").gauge().value())
                  .isEqualTo(ConnectionState.CONNECTED.ordinal());
              assertThat(registry.get("iii.client.reconnects").functionCounter().count()).isZero();
              IIIMetrics metrics = context.getBean(IIIMetrics.class);
              assertThat(registry.get("iii.worker.invocations.in-flight").gauge().value()).isZero();
              metrics.recordInvocation(
                  "orders::create", IIIMetrics.OUTCOME_SUCCESS, metrics.start());
              assertThat(
                      registry
                          .get("iii.function.invocation")
                          .tag("function", "orders::create")
                          .tag("outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1);

              engine.close();
              await()
                  .atMost(CONNECT_WAIT)
                  .untilAsserted(
                      () -> assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN));
              assertThat(client.getConnectionState()).isEqualTo(ConnectionState.RECONNECTING);
              assertThat(indicator.health().getDetails()).containsEntry("state", "RECONNECTING");
              await()
                  .atMost(CONNECT_WAIT)
                  .untilAsserted(
                      () ->
                          assertThat(
                                  registry.get("iii.client.reconnects").functionCounter().count())
                              .isEqualTo(1));
              assertThat(registry.get("iii.client.connected").gauge().value()).isZero();
            });
  }

  @Test
  void theEnginesLimitsComeFromPropertiesAndKeepTheirDefaultsOtherwise() {
    runner
        .withPropertyValues(
            "iii.embedded.enabled=true",
            "iii.embedded.limits.max-request-body-size=1MB",
            "iii.embedded.limits.invocation-timeout=45s",
            "iii.embedded.limits.max-request-header-size=8KB")
        .run(
            context -> {
              EngineLimits limits = context.getBean(EmbeddedEngine.class).config().limits();
              EngineLimits defaults = EngineLimits.defaults();
              assertThat(limits.maxRequestBodyBytes()).isEqualTo(1024 * 1024);
              assertThat(limits.invocationTimeout()).isEqualTo(Duration.ofSeconds(45));
              assertThat(limits.maxRequestHeaderBytes()).isEqualTo(8 * 1024);
              assertThat(limits.maxMessageBytes()).isEqualTo(defaults.maxMessageBytes());
              assertThat(limits.idleTimeout()).isEqualTo(defaults.idleTimeout());
            });
  }

  @Test
  void anEngineConfigFileChoosesTheWorkersAndKeepsThePortsOfTheProperties() {
    runner
        .withPropertyValues(
            "iii.embedded.enabled=true",
            "iii.embedded.config=classpath:engine/queue-and-state.yaml",
            "iii.embedded.limits.invocation-timeout=45s")
        .run(
            context -> {
              EmbeddedEngine engine = context.getBean(EmbeddedEngine.class);
              assertThat(engine.config().queue()).isNotNull();
              assertThat(engine.config().queue().queues()).containsKey("emails");
              assertThat(engine.config().state()).isNotNull();
              assertThat(engine.config().stream()).isNull();
              assertThat(engine.config().cron()).isNull();
              assertThat(engine.port()).isNotEqualTo(49134);
              assertThat(engine.httpPort()).isNotEqualTo(3111);
              assertThat(engine.config().limits().maxRequestBodyBytes()).isEqualTo(2 * 1024 * 1024);
              assertThat(engine.config().limits().invocationTimeout())
                  .isEqualTo(Duration.ofSeconds(45));
            });
  }

  @Test
  void anInvalidEngineConfigFileFailsStartupNamingTheProperty() {
    runner
        .withPropertyValues(
            "iii.embedded.enabled=true", "iii.embedded.config=classpath:engine/missing.yaml")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("iii.embedded.config: cannot read")
                    .hasStackTraceContaining("missing.yaml"));
  }

  @Test
  void invalidLimitsFailStartupNamingTheKey() {
    runner
        .withPropertyValues(
            "iii.embedded.enabled=true", "iii.embedded.limits.max-outbound-size=1KB")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("max_outbound_bytes"));
  }

  @Test
  void stoppingTheContextShutsTheClientDown() {
    runner
        .withPropertyValues("iii.embedded.enabled=true")
        .run(
            context -> {
              IIIClient client = context.getBean(IIIClient.class);
              await()
                  .atMost(CONNECT_WAIT)
                  .until(() -> client.getConnectionState() == ConnectionState.CONNECTED);
              // The client's and Netty's threads are daemons: a worker without a web server
              // stays alive thanks to this one.
              assertThat(keepAliveThreads()).hasSize(1).allMatch(thread -> !thread.isDaemon());
              context.stop();
              assertThat(context.getBean(IIIClientLifecycle.class).isRunning()).isFalse();
              await().atMost(CONNECT_WAIT).until(() -> keepAliveThreads().isEmpty());
              await()
                  .atMost(CONNECT_WAIT)
                  .until(() -> client.getConnectionState() == ConnectionState.DISCONNECTED);
            });
  }

  @Test
  void failFastWithoutAnEngineFailsStartupNamingTheUrl() throws IOException {
    String url = "ws://127.0.0.1:" + IIIAutoConfigurationTests.closedPort();
    runner
        .withPropertyValues("iii.url=" + url, "iii.fail-fast=true", "iii.connect-timeout=1s")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasStackTraceContaining("Could not connect to the iii engine at " + url);
              // A failed start must not leave a thread that keeps the JVM alive.
              assertThat(keepAliveThreads()).isEmpty();
            });
  }

  @Test
  void failFastWithAnEngineStarts() {
    runner
        .withPropertyValues(
            "iii.embedded.enabled=true", "iii.fail-fast=true", "iii.connect-timeout=10s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              // Fail-fast start returns only once connected.
              assertThat(context.getBean(IIIClient.class).getConnectionState())
                  .isEqualTo(ConnectionState.CONNECTED);
            });
  }

  private static java.util.List<Thread> keepAliveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(thread -> thread.getName().equals(IIIClientLifecycle.KEEP_ALIVE_THREAD))
        .toList();
  }
}
