package dev.iii.spring.boot.autoconfigure;

import dev.iii.IIIClient;
import dev.iii.spring.boot.autoconfigure.health.IIIHealthIndicator;
import dev.iii.spring.worker.IIIRegisteredFunctions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@code iii} health indicator ({@link IIIHealthIndicator}) when Spring Boot's health
 * support is present; switch it off with {@code management.health.iii.enabled=false}.
 */
@AutoConfiguration(after = IIIAutoConfiguration.class)
@ConditionalOnClass({IIIClient.class, AbstractHealthIndicator.class})
public final class IIIHealthContributorAutoConfiguration {

  /**
   * Nested so that its health-module condition is only read once the outer class condition has
   * confirmed the module is present.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(IIIClient.class)
  @ConditionalOnEnabledHealthIndicator("iii")
  @EnableConfigurationProperties(IIIProperties.class)
  static class IIIHealthIndicatorConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = {"iiiHealthIndicator", "iiiHealthContributor"})
    IIIHealthIndicator iiiHealthIndicator(
        IIIClient client,
        ObjectProvider<IIIConnectionDetails> connectionDetails,
        IIIProperties properties,
        ObjectProvider<IIIRegisteredFunctions> functions) {
      return new IIIHealthIndicator(
          client,
          IIIUrls.describe(client, connectionDetails.getIfAvailable()),
          properties.health().reconnectGrace(),
          functions.getIfUnique());
    }
  }
}
