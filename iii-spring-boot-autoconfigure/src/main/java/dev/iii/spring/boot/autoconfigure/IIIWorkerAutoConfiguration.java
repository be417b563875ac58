package dev.iii.spring.boot.autoconfigure;

import dev.iii.III;
import dev.iii.IIIClient;
import dev.iii.schema.JsonSchemas;
import dev.iii.spring.boot.autoconfigure.metrics.IIIFunctionLoadMetrics;
import dev.iii.spring.boot.autoconfigure.metrics.IIIMetrics;
import dev.iii.spring.boot.autoconfigure.observation.IIIObservations;
import dev.iii.spring.worker.IIIErrorHandler;
import dev.iii.spring.worker.IIIErrorResponses;
import dev.iii.spring.worker.IIIFunctionAnnotationBeanPostProcessor;
import dev.iii.spring.worker.IIIFunctionConcurrency;
import dev.iii.spring.worker.IIIFunctionRegistry;
import dev.iii.spring.worker.IIIInvocationObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns {@code @IIIFunction} bean methods into iii functions of the application's {@link
 * IIIClient}: a post-processor discovers and validates them, a registry registers them when the
 * application starts and drains them when it stops. With {@code iii.worker.enabled=false} they are
 * still validated but not registered.
 */
@AutoConfiguration(
    after = IIIAutoConfiguration.class,
    afterName =
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnBean(IIIClient.class)
@EnableConfigurationProperties(IIIProperties.class)
public final class IIIWorkerAutoConfiguration {

  /**
   * The executor that runs the functions' invocations; define a bean of this name to replace it. It
   * must not queue: each function bounds and queues its own work.
   */
  public static final String FUNCTION_EXECUTOR_BEAN_NAME = "iiiFunctionExecutor";

  /**
   * Static, so declaring the post-processor does not instantiate this configuration (or the client)
   * before other beans are post-processed.
   */
  @Bean(name = IIIFunctionAnnotationBeanPostProcessor.BEAN_NAME)
  @ConditionalOnMissingBean(name = IIIFunctionAnnotationBeanPostProcessor.BEAN_NAME)
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static IIIFunctionAnnotationBeanPostProcessor iiiFunctionAnnotationBeanPostProcessor() {
    return new IIIFunctionAnnotationBeanPostProcessor();
  }

  /**
   * The registry. Schemas follow the mapper that binds payloads (the application's unique {@code
   * JsonMapper}, else the client's), so property names match what the functions read and write.
   */
  @Bean
  @ConditionalOnMissingBean
  IIIFunctionRegistry iiiFunctionRegistry(
      IIIClient client,
      IIIProperties properties,
      ObjectProvider<IIIInvocationObserver> observers,
      ObjectProvider<JsonMapper> jsonMappers,
      @Qualifier(FUNCTION_EXECUTOR_BEAN_NAME) Executor functionExecutor) {
    IIIProperties.Worker worker = properties.worker();
    List<IIIInvocationObserver> all = observers.orderedStream().toList();
    JsonSchemas schemas = null;
    if (worker.schemas().enabled()) {
      JsonMapper mapper =
          jsonMappers.getIfUnique(
              () -> client instanceof III iii ? iii.options().jsonMapper() : JsonMapper.shared());
      schemas = JsonSchemas.builder().mapper(mapper).build();
    }
    // A mocked client (a test's @MockitoBean IIIClient): functions are validated, not registered.
    return new IIIFunctionRegistry(
        client,
        worker.enabled() && !MockClients.isMock(client),
        worker.shutdownTimeout(),
        all.isEmpty() ? endpoint -> outcome -> {} : IIIInvocationObserver.composite(all),
        schemas,
        worker.registrationTimeout(),
        new IIIFunctionConcurrency(
            IIIAutoConfiguration.maxConcurrency(worker.maxConcurrency()),
            worker.maxQueued(),
            worker.functions().entrySet().stream()
                .collect(
                    Collectors.toMap(
                        Map.Entry::getKey,
                        entry ->
                            new IIIFunctionConcurrency.Limits(
                                entry.getValue().concurrency(), entry.getValue().queueCapacity()))),
            functionExecutor));
  }

  /**
   * Runs the functions' invocations on platform threads: a thread per running invocation, started
   * when none is idle; the functions' own limits bound how many.
   */
  @Bean(name = FUNCTION_EXECUTOR_BEAN_NAME, destroyMethod = "shutdown")
  @ConditionalOnMissingBean(name = FUNCTION_EXECUTOR_BEAN_NAME)
  @ConditionalOnThreading(Threading.PLATFORM)
  ExecutorService iiiFunctionExecutor() {
    return IIIFunctionConcurrency.newPlatformExecutor();
  }

  /**
   * Runs the functions' invocations on virtual threads, as Spring Boot's own executors do with
   * {@code spring.threads.virtual.enabled=true} on Java 21 and later.
   */
  @Bean(name = FUNCTION_EXECUTOR_BEAN_NAME)
  @ConditionalOnMissingBean(name = FUNCTION_EXECUTOR_BEAN_NAME)
  @ConditionalOnThreading(Threading.VIRTUAL)
  SimpleAsyncTaskExecutor iiiFunctionExecutorVirtualThreads() {
    SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("iii-function-");
    executor.setVirtualThreads(true);
    return executor;
  }

  /**
   * How failed HTTP invocations are answered ({@code iii.worker.http.*}), with the application's
   * unique {@link IIIErrorHandler}, if any.
   */
  @Bean
  @ConditionalOnMissingBean
  IIIErrorResponses iiiErrorResponses(
      IIIProperties properties, ObjectProvider<IIIErrorHandler> errorHandlers) {
    IIIProperties.Http http = properties.worker().http();
    return new IIIErrorResponses(
        http.includeMessage() == IIIProperties.IncludeMessage.ALWAYS,
        http.includeException(),
        http.problemDetails(),
        errorHandlers.getIfUnique());
  }

  /** Invocation metrics, when Micrometer is present; in its own class so it loads only then. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class InvocationMetricsConfiguration {

    /**
     * Queue depth, running and rejected counts per function; the {@code MeterRegistry} is looked up
     * at start, as it comes from an auto-configuration ordered independently.
     */
    @Bean
    @ConditionalOnMissingBean
    IIIFunctionLoadMetrics iiiFunctionLoadMetrics(
        ObjectProvider<MeterRegistry> meters, IIIFunctionRegistry functions) {
      return new IIIFunctionLoadMetrics(meters::getIfUnique, functions);
    }

    /**
     * Looks {@link IIIMetrics} up at the first invocation: it exists only when the application has
     * a {@code MeterRegistry}, which is decided by an auto-configuration ordered independently.
     */
    @Bean
    @ConditionalOnMissingBean(name = "iiiInvocationMetricsObserver")
    IIIInvocationObserver iiiInvocationMetricsObserver(
        ObjectProvider<IIIMetrics> metrics, ObjectProvider<IIIObservations> observations) {
      return endpoint -> {
        IIIMetrics recorder = metrics.getIfAvailable();
        if (recorder == null) {
          return outcome -> {};
        }
        // With observations on, the iii.function.invocation observation makes the timer.
        boolean timed = observations.getIfAvailable() == null;
        Timer.Sample sample = recorder.start();
        return outcome -> {
          if (timed) {
            recorder.recordInvocation(endpoint.id(), outcome, sample);
          }
        };
      };
    }
  }

  /**
   * The {@code iii.function.invocation} observation around each invocation, continuing the caller's
   * trace; {@link IIIObservations} comes from {@link IIIAutoConfiguration}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
  @ConditionalOnBean(IIIObservations.class)
  static class InvocationObservationConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "iiiInvocationObservationObserver")
    IIIInvocationObserver iiiInvocationObservationObserver(IIIObservations observations) {
      return observations.invocationObserver();
    }
  }
}
