package dev.iii.spring.boot.autoconfigure;

import dev.iii.engine.EmbeddedEngine;
import dev.iii.engine.config.EngineLimits;
import java.net.URI;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Starts an iii engine inside the application when {@code iii.embedded.enabled=true} and points the
 * client at it, whatever {@code iii.url} says (its {@link IIIConnectionDetails} take precedence
 * over the properties-based ones).
 */
@AutoConfiguration
@ConditionalOnClass(EmbeddedEngine.class)
@ConditionalOnBooleanProperty("iii.embedded.enabled")
@EnableConfigurationProperties(IIIProperties.class)
public final class IIIEmbeddedEngineAutoConfiguration {

  /**
   * The engine, already listening: starting it in the bean method only binds local ports, and the
   * client's connection details need its actual (possibly random) port.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  EmbeddedEngine iiiEmbeddedEngine(IIIProperties properties) {
    IIIProperties.Embedded embedded = properties.embedded();
    return EmbeddedEngine.builder()
        .host(embedded.host())
        .port(embedded.port())
        .httpPort(embedded.httpPort())
        .streamPort(embedded.streamPort())
        .limits(limits(embedded.limits()))
        .build()
        .start();
  }

  /** The engine's defaults, with what the properties set. */
  static EngineLimits limits(IIIProperties.EmbeddedLimits set) {
    EngineLimits limits = EngineLimits.defaults();
    if (set.maxMessageSize() != null) {
      limits = limits.withMaxMessageBytes(Math.toIntExact(set.maxMessageSize().toBytes()));
    }
    if (set.maxOutboundSize() != null) {
      limits = limits.withMaxOutboundBytes(set.maxOutboundSize().toBytes());
    }
    if (set.handshakeTimeout() != null) {
      limits = limits.withHandshakeTimeout(set.handshakeTimeout());
    }
    if (set.idleTimeout() != null) {
      limits = limits.withIdleTimeout(set.idleTimeout());
    }
    if (set.invocationTimeout() != null) {
      limits = limits.withInvocationTimeout(set.invocationTimeout());
    }
    if (set.maxRequestBodySize() != null) {
      limits = limits.withMaxRequestBodyBytes(set.maxRequestBodySize().toBytes());
    }
    if (set.maxRequestHeaderSize() != null) {
      limits =
          limits.withMaxRequestHeaderBytes(Math.toIntExact(set.maxRequestHeaderSize().toBytes()));
    }
    if (set.httpIdleTimeout() != null) {
      limits = limits.withHttpIdleTimeout(set.httpIdleTimeout());
    }
    if (set.maxTelemetryLogSize() != null) {
      limits = limits.withMaxTelemetryLogBytes(set.maxTelemetryLogSize().toBytes());
    }
    return limits;
  }

  @Bean
  @ConditionalOnMissingBean(IIIConnectionDetails.class)
  IIIConnectionDetails iiiEmbeddedEngineConnectionDetails(EmbeddedEngine engine) {
    return () -> URI.create(engine.wsUrl());
  }
}
