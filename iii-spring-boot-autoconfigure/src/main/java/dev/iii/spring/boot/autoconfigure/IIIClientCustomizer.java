package dev.iii.spring.boot.autoconfigure;

import dev.iii.InitOptions;

/**
 * Adjusts the options of the auto-configured client after {@code iii.*} properties have been
 * applied. Every customizer bean is called, in {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface IIIClientCustomizer {

  /** Customizes the options the client is built with. */
  void customize(InitOptions.Builder options);
}
