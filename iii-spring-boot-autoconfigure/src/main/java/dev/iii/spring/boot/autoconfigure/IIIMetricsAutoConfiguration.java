package dev.iii.spring.boot.autoconfigure;

import dev.iii.IIIClient;
import dev.iii.spring.boot.autoconfigure.metrics.IIIClientMetrics;
import dev.iii.spring.boot.autoconfigure.metrics.IIIMetrics;
import dev.iii.spring.worker.IIIRegisteredFunctions;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the iii client ({@link IIIClientMetrics}) and the {@link IIIMetrics} the
 * worker support records invocations with, and the client's calls ({@code iii.client.call}), when
 * the application has a {@link MeterRegistry}.
 */
@AutoConfiguration(
    after = IIIAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass({IIIClient.class, MeterRegistry.class})
@ConditionalOnBean({IIIClient.class, MeterRegistry.class})
public final class IIIMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  IIIClientMetrics iiiClientMetrics(
      IIIClient client, ObjectProvider<IIIRegisteredFunctions> functions) {
    return new IIIClientMetrics(client, functions.getIfUnique());
  }

  @Bean
  @ConditionalOnMissingBean
  IIIMetrics iiiMetrics(MeterRegistry registry) {
    return new IIIMetrics(registry);
  }

  /**
   * Times the client's calls ({@code iii.client.call}) with {@link IIIMetrics#callInterceptor()}.
   * With observations on, the {@code iii.client.call} observation makes that timer instead: one
   * meter name must not be registered twice with different tags.
   */
  @Bean
  @ConditionalOnMissingBean(
      name = "iiiClientCallMetricsCustomizer",
      type = "dev.iii.spring.boot.autoconfigure.observation.IIIObservations")
  IIIClientCustomizer iiiClientCallMetricsCustomizer(IIIMetrics metrics) {
    return options -> options.addCallInterceptor(metrics.callInterceptor());
  }
}
