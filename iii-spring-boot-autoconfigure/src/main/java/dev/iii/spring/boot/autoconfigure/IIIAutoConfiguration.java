package dev.iii.spring.boot.autoconfigure;

import dev.iii.III;
import dev.iii.IIIClient;
import dev.iii.InitOptions;
import dev.iii.ReconnectionConfig;
import dev.iii.TelemetryOptions;
import dev.iii.spring.boot.autoconfigure.observation.IIIObservations;
import dev.iii.spring.transport.WebFluxWebSocketTransport;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.socket.client.WebSocketClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configures an {@link IIIClient} from {@code iii.*} properties, and connects it when the
 * application starts ({@link IIIClientLifecycle}). Building the client opens no connection, so a
 * missing engine never breaks context creation (unless {@code iii.fail-fast} is set).
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    },
    after = IIIEmbeddedEngineAutoConfiguration.class)
@ConditionalOnClass(III.class)
@ConditionalOnBooleanProperty(name = "iii.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IIIProperties.class)
public final class IIIAutoConfiguration {

  /** Name of the executor that runs function handlers. */
  public static final String WORKER_EXECUTOR_BEAN_NAME = "iiiWorkerExecutor";

  private static final String WEBSOCKET_CLIENT =
      "org.springframework.web.reactive.socket.client.WebSocketClient";

  @Bean
  @ConditionalOnMissingBean(IIIConnectionDetails.class)
  PropertiesIIIConnectionDetails iiiConnectionDetails(IIIProperties properties) {
    return new PropertiesIIIConnectionDetails(properties);
  }

  /**
   * Runs function and trigger handlers: {@code iii.worker.max-concurrency} threads, the most the
   * client runs at once (invocations beyond that wait in the client's own bounded queue). Daemon
   * threads, so they never keep the JVM alive on their own.
   */
  @Bean(name = WORKER_EXECUTOR_BEAN_NAME, destroyMethod = "shutdown")
  @ConditionalOnMissingBean(name = WORKER_EXECUTOR_BEAN_NAME)
  ExecutorService iiiWorkerExecutor(IIIProperties properties) {
    int threads = maxConcurrency(properties.worker().maxConcurrency());
    CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("iii-worker-");
    threadFactory.setDaemon(true);
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threadFactory);
    // Idle applications should not hold max-concurrency threads forever.
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(IIIClient.class)
  III iiiClient(
      IIIConnectionDetails connectionDetails,
      IIIProperties properties,
      Environment environment,
      @Qualifier(WORKER_EXECUTOR_BEAN_NAME) ExecutorService workerExecutor,
      ObjectProvider<JsonMapper> jsonMapper,
      ObjectProvider<IIIClientCustomizer> customizers,
      ResourceLoader resourceLoader) {
    InitOptions.Builder options =
        InitOptions.builder()
            .invocationTimeout(properties.invocationTimeout())
            .enableMetricsReporting(properties.enableMetricsReporting())
            .reconnection(reconnection(properties.reconnection()))
            .reconnectGrace(properties.reconnection().grace())
            .telemetry(telemetry(properties.telemetry()))
            .handlerExecutor(workerExecutor)
            .maxConcurrentInvocations(maxConcurrency(properties.worker().maxConcurrency()))
            .maxQueuedInvocations(properties.worker().maxQueued())
            .workerDescription(properties.workerDescription())
            .headers(properties.headers())
            .queryParams(properties.queryParams())
            .pingInterval(properties.pingInterval())
            .idleTimeout(properties.idleTimeout())
            .handshakeTimeout(properties.handshakeTimeout());
    if (properties.transport() == IIIProperties.Transport.WEBFLUX
        && !ClassUtils.isPresent(WEBSOCKET_CLIENT, resourceLoader.getClassLoader())) {
      throw new IllegalStateException(
          "iii.transport=webflux needs spring-webflux on the classpath (" + WEBSOCKET_CLIENT + ")");
    }
    String workerName =
        StringUtils.hasText(properties.workerName())
            ? properties.workerName()
            : environment.getProperty("spring.application.name");
    if (StringUtils.hasText(workerName)) {
      options.workerName(workerName);
    }
    jsonMapper.ifAvailable(options::jsonMapper);
    customizers.orderedStream().forEach(customizer -> customizer.customize(options));
    return new III(connectionDetails.url().toString(), options.build());
  }

  @Bean
  @ConditionalOnMissingBean
  IIIClientLifecycle iiiClientLifecycle(
      IIIClient client, IIIConnectionDetails connectionDetails, IIIProperties properties) {
    return new IIIClientLifecycle(
        client,
        IIIUrls.describe(client, connectionDetails),
        properties.failFast(),
        properties.connectTimeout());
  }

  /**
   * Observations ({@code iii.client.call}, {@code iii.function.invocation}) propagating {@code
   * traceparent}, when the application has an {@link ObservationRegistry}; in its own class so it
   * loads only then.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  @ConditionalOnBean(ObservationRegistry.class)
  @ConditionalOnBooleanProperty(name = "iii.observations.enabled", matchIfMissing = true)
  static class ObservationConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IIIObservations iiiObservations(ObservationRegistry registry) {
      return new IIIObservations(registry);
    }

    /** Observes the client's calls; the worker side is wired by the worker configuration. */
    @Bean
    @ConditionalOnMissingBean(name = "iiiClientObservationCustomizer")
    IIIClientCustomizer iiiClientObservationCustomizer(IIIObservations observations) {
      return options -> options.addCallInterceptor(observations.callInterceptor());
    }
  }

  /**
   * The engine connection on Spring WebFlux's {@code WebSocketClient}, as {@code iii.transport}
   * says; in its own class so that it loads only with WebFlux.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = WEBSOCKET_CLIENT)
  static class WebFluxTransportConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "iiiWebFluxTransportCustomizer")
    IIIClientCustomizer iiiWebFluxTransportCustomizer(
        IIIProperties properties, ObjectProvider<WebSocketClient> clients) {
      return options -> {
        WebSocketClient client = clients.getIfUnique();
        switch (properties.transport()) {
          case WEBFLUX ->
              options.transport(
                  client != null
                      ? new WebFluxWebSocketTransport(client)
                      : WebFluxWebSocketTransport.create());
          case AUTO -> {
            if (client != null) {
              options.transport(new WebFluxWebSocketTransport(client));
            }
          }
          case REACTOR_NETTY -> {}
        }
      };
    }
  }

  /** {@code 0} means {@code max(8, 2 × CPUs)}. */
  static int maxConcurrency(int configured) {
    if (configured < 0) {
      throw new IllegalArgumentException(
          "iii.worker.max-concurrency must be 0 (automatic) or more, was " + configured);
    }
    return configured > 0
        ? configured
        : Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
  }

  private static ReconnectionConfig reconnection(IIIProperties.Reconnection reconnection) {
    return new ReconnectionConfig(
        reconnection.initialDelay(),
        reconnection.maxDelay(),
        reconnection.multiplier(),
        reconnection.jitter(),
        reconnection.maxRetries());
  }

  private static TelemetryOptions telemetry(IIIProperties.Telemetry telemetry) {
    return new TelemetryOptions(
        telemetry.language(), telemetry.projectName(), telemetry.framework());
  }
}
