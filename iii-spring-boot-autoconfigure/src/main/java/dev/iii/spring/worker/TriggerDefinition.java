package dev.iii.spring.worker;

import java.util.Map;
import java.util.Objects;

/**
 * A trigger an {@link IIIFunctionEndpoint} registers for its function, with placeholders already
 * resolved.
 *
 * @param type the trigger type id, e.g. {@code http} or {@code cron}
 * @param config the trigger configuration sent to the engine
 * @param summary a short human-readable form for logs, e.g. {@code http POST /orders}
 */
public record TriggerDefinition(String type, Map<String, Object> config, String summary) {

  /** Copies {@code config} so the definition stays immutable. */
  public TriggerDefinition {
    Objects.requireNonNull(type, "type");
    config = Map.copyOf(config);
    Objects.requireNonNull(summary, "summary");
  }

  /** Whether this is an HTTP trigger of the engine's REST API. */
  public boolean isHttp() {
    return "http".equals(type);
  }
}
