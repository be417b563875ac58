package dev.iii.spring.boot.autoconfigure;

import dev.iii.engine.EmbeddedEngine;
import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.EngineConfigLoader;
import dev.iii.engine.config.EngineLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;

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
    EngineConfig config = engineConfig(embedded.config());
    EmbeddedEngine.Builder builder =
        EmbeddedEngine.builder()
            .config(config)
            .host(embedded.host())
            .port(embedded.port())
            .limits(limits(config.limits(), embedded.limits()));
    // A config file may leave the REST API or the stream worker out: then there is no port to set.
    if (config.restApi() != null) {
      builder.httpPort(embedded.httpPort());
    }
    if (config.stream() != null) {
      builder.streamPort(embedded.streamPort());
    }
    return builder.build().start();
  }

  /** The development defaults, or what {@code iii.embedded.config} says. */
  static EngineConfig engineConfig(@Nullable Resource file) {
    if (file == null) {
      return EngineConfig.development();
    }
    String yaml;
    try {
      yaml = file.getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(
          "iii.embedded.config: cannot read " + file.getDescription() + ": " + e.getMessage(), e);
    }
    try {
      return EngineConfigLoader.load(yaml, System::getenv);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "iii.embedded.config: " + file.getDescription() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The given limits (the engine's defaults or the config file's), with what the properties set.
   */
  static EngineLimits limits(EngineLimits base, IIIProperties.EmbeddedLimits set) {
    EngineLimits limits = base;
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
