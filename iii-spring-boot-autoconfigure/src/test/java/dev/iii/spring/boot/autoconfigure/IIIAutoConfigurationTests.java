package dev.iii.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.ConnectionState;
import dev.iii.III;
import dev.iii.IIIClient;
import dev.iii.InitOptions;
import dev.iii.spring.boot.autoconfigure.health.IIIHealthIndicator;
import dev.iii.spring.boot.autoconfigure.metrics.IIIClientMetrics;
import dev.iii.spring.boot.autoconfigure.metrics.IIIMetrics;
import dev.iii.spring.transport.WebFluxWebSocketTransport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.client.WebSocketClient;
import tools.jackson.databind.json.JsonMapper;

/** The client's auto-configuration, without an engine: which beans exist and how they are built. */
class IIIAutoConfigurationTests {

  /** A local port nothing listens on, so the lifecycle's background connection attempt is moot. */
  private static String unreachableUrl;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  IIIAutoConfiguration.class,
                  IIIHealthContributorAutoConfiguration.class,
                  IIIMetricsAutoConfiguration.class))
          .withPropertyValues("iii.url=" + unreachableUrl);

  @BeforeAll
  static void reserveUnreachableUrl() throws IOException {
    unreachableUrl = "ws://127.0.0.1:" + closedPort();
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void buildsTheClientFromProperties() {
    runner
        .withPropertyValues(
            "iii.worker-name=orders",
            "iii.invocation-timeout=5s",
            "iii.enable-metrics-reporting=false",
            "iii.reconnection.initial-delay=200ms",
            "iii.reconnection.max-delay=2s",
            "iii.reconnection.multiplier=1.5",
            "iii.reconnection.jitter=0.1",
            "iii.reconnection.max-retries=3",
            "iii.telemetry.language=de",
            "iii.telemetry.project-name=shop",
            "iii.worker.max-concurrency=3",
            "iii.worker.max-queued=50")
        .run(
            context -> {
              assertThat(context).hasSingleBean(IIIClient.class).hasSingleBean(III.class);
              III client = context.getBean(III.class);
              assertThat(client.address()).isEqualTo(URI.create(unreachableUrl));
              InitOptions options = client.options();
              assertThat(options.workerName()).isEqualTo("orders");
              assertThat(options.invocationTimeout()).isEqualTo(Duration.ofSeconds(5));
              assertThat(options.enableMetricsReporting()).isFalse();
              assertThat(options.reconnection().initialDelay()).isEqualTo(Duration.ofMillis(200));
              assertThat(options.reconnection().maxDelay()).isEqualTo(Duration.ofSeconds(2));
              assertThat(options.reconnection().multiplier()).isEqualTo(1.5);
              assertThat(options.reconnection().jitter()).isEqualTo(0.1);
              assertThat(options.reconnection().maxRetries()).isEqualTo(3);
              assertThat(options.telemetry().language()).isEqualTo("de");
              assertThat(options.telemetry().projectName()).isEqualTo("shop");
              assertThat(options.telemetry().framework()).isEqualTo("spring-boot");
              ExecutorService executor =
                  context.getBean(
                      IIIAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME, ExecutorService.class);
              assertThat(options.handlerExecutor()).isSameAs(executor);
              assertThat(((ThreadPoolExecutor) executor).getMaximumPoolSize()).isEqualTo(3);
              assertThat(options.maxConcurrentInvocations()).isEqualTo(3);
              assertThat(options.maxQueuedInvocations()).isEqualTo(50);
              assertThat(
                      executor
                          .submit(() -> Thread.currentThread().getName())
                          .get(5, TimeUnit.SECONDS))
                  .startsWith("iii-worker-");
            });
  }

  @Test
  void buildsTheHandshakeAndLivenessOptionsFromProperties() {
    runner
        .withPropertyValues(
            "iii.worker-description=Takes orders",
            "iii.headers.Authorization=Bearer secret",
            "iii.headers[X-Tenant.Id]=acme",
            "iii.query-params.token=abc",
            "iii.ping-interval=5s",
            "iii.idle-timeout=0s",
            "iii.handshake-timeout=3s",
            "iii.reconnection.grace=2s")
        .run(
            context -> {
              InitOptions options = context.getBean(III.class).options();
              assertThat(options.workerDescription()).isEqualTo("Takes orders");
              assertThat(options.headers())
                  .containsExactlyInAnyOrderEntriesOf(
                      Map.of("Authorization", "Bearer secret", "X-Tenant.Id", "acme"));
              assertThat(options.queryParams()).containsExactly(Map.entry("token", "abc"));
              assertThat(options.pingInterval()).isEqualTo(Duration.ofSeconds(5));
              assertThat(options.idleTimeout()).isZero();
              assertThat(options.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(options.reconnectGrace()).isEqualTo(Duration.ofSeconds(2));
            });
  }

  @Test
  void handshakeAndLivenessDefaultsAreTheClients() {
    InitOptions defaults = InitOptions.defaults();
    runner.run(
        context -> {
          InitOptions options = context.getBean(III.class).options();
          assertThat(options.workerDescription()).isNull();
          assertThat(options.headers()).isEmpty();
          assertThat(options.queryParams()).isEmpty();
          assertThat(options.pingInterval()).isEqualTo(defaults.pingInterval());
          assertThat(options.idleTimeout()).isEqualTo(defaults.idleTimeout());
          assertThat(options.handshakeTimeout()).isEqualTo(defaults.handshakeTimeout());
          assertThat(options.reconnectGrace()).isEqualTo(defaults.reconnectGrace());
        });
  }

  @Test
  void defaultsFollowTheApplication() {
    runner
        .withPropertyValues("spring.application.name=billing")
        .run(
            context -> {
              InitOptions options = context.getBean(III.class).options();
              assertThat(options.workerName()).isEqualTo("billing");
              assertThat(options.invocationTimeout()).isEqualTo(Duration.ofSeconds(30));
              assertThat(options.enableMetricsReporting()).isTrue();
              ThreadPoolExecutor executor =
                  context.getBean(
                      IIIAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME, ThreadPoolExecutor.class);
              assertThat(executor.getMaximumPoolSize())
                  .isEqualTo(Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
            });
  }

  @Test
  void usesTheApplicationsJsonMapper() {
    runner
        .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
        .run(
            context ->
                assertThat(context.getBean(III.class).options().jsonMapper())
                    .isSameAs(context.getBean(JsonMapper.class)));
  }

  @Test
  void appliesCustomizersInOrder() {
    runner
        .withPropertyValues("iii.worker-name=from-properties")
        .withUserConfiguration(CustomizerConfiguration.class)
        .run(
            context ->
                assertThat(context.getBean(III.class).options().workerName())
                    .isEqualTo("from-properties+first+second"));
  }

  @Test
  void theBeanMethodDoesNotConnectButStartingTheContextDoes() {
    Map<String, ConnectionState> stateAfterCreation = new ConcurrentHashMap<>();
    runner
        .withBean(
            BeanPostProcessor.class,
            () ->
                new BeanPostProcessor() {
                  @Override
                  public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof IIIClient client) {
                      stateAfterCreation.put(name, client.getConnectionState());
                    }
                    return bean;
                  }
                })
        .run(
            context -> {
              assertThat(stateAfterCreation)
                  .containsEntry("iiiClient", ConnectionState.DISCONNECTED);
              assertThat(context.getBean(IIIClientLifecycle.class).isRunning()).isTrue();
              assertThat(context.getBean(IIIClient.class).getConnectionState())
                  .isIn(ConnectionState.CONNECTING, ConnectionState.RECONNECTING);
            });
  }

  @Test
  void aUserDefinedClientWins() {
    III own = new III(unreachableUrl, InitOptions.builder().workerName("mine").build());
    runner
        .withBean("myClient", IIIClient.class, () -> own)
        .run(
            context -> {
              assertThat(context).hasSingleBean(IIIClient.class).doesNotHaveBean("iiiClient");
              assertThat(context.getBean(IIIClient.class)).isSameAs(own);
              assertThat(context).hasSingleBean(IIIClientLifecycle.class);
            });
    own.close();
  }

  @Test
  void userConnectionDetailsWin() {
    runner
        .withBean(IIIConnectionDetails.class, () -> () -> URI.create("ws://engine.example:1234"))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(PropertiesIIIConnectionDetails.class);
              assertThat(context.getBean(III.class).address())
                  .isEqualTo(URI.create("ws://engine.example:1234"));
            });
  }

  @Test
  void disabledMeansNoClient() {
    runner
        .withPropertyValues("iii.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(IIIClient.class)
                    .doesNotHaveBean(IIIClientLifecycle.class)
                    .doesNotHaveBean(IIIHealthIndicator.class)
                    .doesNotHaveBean(IIIAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME));
  }

  @Test
  void healthIndicatorWhenHealthSupportIsPresent() {
    runner.run(context -> assertThat(context).hasBean("iiiHealthIndicator"));
  }

  @Test
  void noHealthIndicatorWithoutHealthSupport() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(IIIClient.class)
                    .doesNotHaveBean(IIIHealthIndicator.class));
  }

  @Test
  void noHealthIndicatorWhenSwitchedOff() {
    runner
        .withPropertyValues("management.health.iii.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(IIIHealthIndicator.class));
  }

  @Test
  void metricsWhenARegistryExists() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(IIIClientMetrics.class)
                  .hasSingleBean(IIIMetrics.class);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(registry.get("iii.client.connected").gauge().value()).isZero();
              assertThat(registry.get("iii.client.reconnects").functionCounter()).isNotNull();
              assertThat(registry.get("iii.worker.invocations.in-flight").gauge().value()).isZero();
              assertThat(registry.get("iii.worker.invocations.queued").gauge().value()).isZero();
              assertThat(registry.get("iii.worker.invocations.rejected").functionCounter().count())
                  .isZero();
            });
  }

  @Test
  void withoutAWebSocketClientBeanTheClientUsesReactorNettyDirectly() {
    runner.run(
        context ->
            assertThat(context.getBean(III.class).options().transport())
                .as("the default transport")
                .isNull());
  }

  @Test
  void theApplicationsWebSocketClientCarriesTheConnection() {
    runner
        .withBean(WebSocketClient.class, ReactorNettyWebSocketClient::new)
        .run(
            context ->
                assertThat(context.getBean(III.class).options().transport())
                    .isInstanceOf(WebFluxWebSocketTransport.class));
  }

  @Test
  void theTransportPropertyChoosesEitherWay() {
    runner
        .withPropertyValues("iii.transport=webflux")
        .run(
            context ->
                assertThat(context.getBean(III.class).options().transport())
                    .isInstanceOf(WebFluxWebSocketTransport.class));
    runner
        .withPropertyValues("iii.transport=reactor-netty")
        .withBean(WebSocketClient.class, ReactorNettyWebSocketClient::new)
        .run(context -> assertThat(context.getBean(III.class).options().transport()).isNull());
  }

  @Test
  void webfluxTransportWithoutWebFluxFailsWithAClearMessage() {
    runner
        .withPropertyValues("iii.transport=webflux")
        .withClassLoader(new FilteredClassLoader(WebSocketClient.class))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("iii.transport=webflux needs spring-webflux"));
  }

  @Test
  void noMetricsWithoutMicrometer() {
    runner
        .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(IIIClient.class)
                    .doesNotHaveBean(IIIClientMetrics.class)
                    .doesNotHaveBean(IIIMetrics.class));
  }

  @Test
  void noMetricsWithoutARegistry() {
    runner.run(context -> assertThat(context).doesNotHaveBean(IIIClientMetrics.class));
  }

  static class CustomizerConfiguration {

    @Bean
    @Order(2)
    IIIClientCustomizer second() {
      return options -> options.workerName(nameSoFar(options) + "+second");
    }

    @Bean
    @Order(1)
    IIIClientCustomizer first() {
      return options -> options.workerName(nameSoFar(options) + "+first");
    }

    private static String nameSoFar(InitOptions.Builder options) {
      return options.build().workerName();
    }
  }
}
