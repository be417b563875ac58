package dev.iii.spring.boot.test;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Points a test class annotated with {@link AutoConfigureIII} at an embedded engine on free ports:
 * adds the {@code iii.*} properties the annotation documents, ahead of the application's own.
 */
final class IIITestContextCustomizerFactory implements ContextCustomizerFactory {

  private static final String EMBEDDED_ENGINE = "dev.iii.engine.EmbeddedEngine";

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    if (!TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureIII.class)) {
      return null;
    }
    if (!ClassUtils.isPresent(EMBEDDED_ENGINE, testClass.getClassLoader())) {
      throw new IllegalStateException(
          "@AutoConfigureIII on "
              + testClass.getName()
              + " needs the embedded engine on the test classpath: add the dependency"
              + " dev.iii:iii-embedded-engine with <scope>test</scope>");
    }
    return new EmbeddedEngineCustomizer();
  }

  /** Stateless, so every annotated test class can share one cached context. */
  static final class EmbeddedEngineCustomizer implements ContextCustomizer {

    static final String PROPERTY_SOURCE_NAME = "iiiTestEmbeddedEngine";

    static final Map<String, Object> PROPERTIES =
        Map.of(
            "iii.embedded.enabled", "true",
            "iii.embedded.host", "127.0.0.1",
            "iii.embedded.port", "0",
            "iii.embedded.http-port", "0",
            "iii.embedded.stream-port", "0",
            "iii.fail-fast", "true");

    @Override
    public void customizeContext(
        ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, PROPERTIES));
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof EmbeddedEngineCustomizer;
    }

    @Override
    public int hashCode() {
      return EmbeddedEngineCustomizer.class.hashCode();
    }
  }
}
