package dev.iii.spring.boot.test;

import dev.iii.engine.EmbeddedEngine;
import dev.iii.spring.boot.autoconfigure.IIIEmbeddedEngineAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link IIITestClient} of an {@link AutoConfigureIII} test; imported only by that annotation,
 * never by the application's own auto-configuration.
 */
@AutoConfiguration(after = IIIEmbeddedEngineAutoConfiguration.class)
@ConditionalOnClass(EmbeddedEngine.class)
public final class IIITestClientAutoConfiguration {

  /** The client, connected to the test's embedded engine; closed with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  IIITestClient iiiTestClient(EmbeddedEngine engine, ObjectProvider<JsonMapper> jsonMapper) {
    return new IIITestClient(engine, jsonMapper.getIfUnique(JsonMapper::shared));
  }
}
