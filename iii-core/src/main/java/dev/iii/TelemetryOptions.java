package dev.iii;

import org.jspecify.annotations.Nullable;

/**
 * What the worker tells the engine about itself for analytics (sent with the worker metadata).
 *
 * @param language the user's language, e.g. {@code en}; the JVM's default locale when {@code null}
 * @param projectName the project the worker belongs to
 * @param framework the framework hosting the worker, e.g. {@code spring-boot}
 */
public record TelemetryOptions(
    @Nullable String language, @Nullable String projectName, @Nullable String framework) {

  /** No telemetry details. */
  public static final TelemetryOptions NONE = new TelemetryOptions(null, null, null);
}
