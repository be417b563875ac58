package dev.iii.engine.config;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The settings of the pub/sub module: the {@code publish} function and {@code subscribe} triggers
 * ({@code iii-pubsub} in a v0.22 config, {@code modules::pubsub::PubSubModule} in a 0.9 one).
 *
 * <p>The official module has one setting, {@code adapter}: {@code {name: local}} (the default,
 * in-process delivery) or {@code {name: redis, config: {redis_url}}} (Redis Pub/Sub between engine
 * instances); a 0.9 config names them by class ({@code modules::pubsub::LocalAdapter}, {@code
 * modules::pubsub::RedisAdapter}). The embedded engine always delivers in process: it is one engine
 * instance, so every subscriber connected to it receives every event either way; a {@code redis}
 * adapter is accepted and the module warns when it starts that events will not reach other engine
 * instances. An unknown adapter is refused, as the official engine refuses to start the worker.
 * Immutable.
 *
 * @param adapter the adapter the config asked for: {@value #LOCAL} or {@value #REDIS}
 */
public record PubSubConfig(String adapter) {

  /** The in-process adapter (the official default). */
  public static final String LOCAL = "local";

  /** The official Redis adapter, which the embedded engine replaces with {@value #LOCAL}. */
  public static final String REDIS = "redis";

  /** Adapter names and 0.9 classes, by the adapter they select. */
  private static final Map<String, String> ADAPTERS =
      Map.of(
          LOCAL,
          LOCAL,
          "modules::pubsub::LocalAdapter",
          LOCAL,
          REDIS,
          REDIS,
          "modules::pubsub::RedisAdapter",
          REDIS);

  /** Validates the components. */
  public PubSubConfig {
    if (!LOCAL.equals(adapter) && !REDIS.equals(adapter)) {
      throw new IllegalArgumentException("unknown pub/sub adapter " + adapter);
    }
  }

  /** The official defaults: the {@code local} adapter. */
  public static PubSubConfig defaults() {
    return new PubSubConfig(LOCAL);
  }

  /**
   * Whether the config asked for an adapter the embedded engine replaces with in-process delivery.
   */
  public boolean adapterReplaced() {
    return !LOCAL.equals(adapter);
  }

  /**
   * Reads a config entry's settings; omitted ones take the official defaults.
   *
   * @param where names the entry in error messages
   * @param strict refuse unknown settings rather than warn
   * @throws IllegalArgumentException when a setting is not valid
   */
  static PubSubConfig parse(JsonNode settings, String where, boolean strict) {
    ConfigValues.checkKeys(where, settings, List.of("adapter"), strict);
    JsonNode adapter = settings.path("adapter");
    if (ConfigValues.isAbsent(adapter)) {
      return defaults();
    }
    if (!adapter.isObject()) {
      throw new IllegalArgumentException(where + " adapter must be a mapping, got " + adapter);
    }
    // v0.22 names the adapter with `name`, 0.9 with `class`; its `config` is the adapter's own.
    JsonNode name = adapter.has("name") ? adapter.path("name") : adapter.path("class");
    if (ConfigValues.isAbsent(name)) {
      throw new IllegalArgumentException(where + " adapter needs a name");
    }
    String requested = ConfigValues.string(name, where + " adapter name");
    String selected = ADAPTERS.get(requested);
    if (selected == null) {
      throw new IllegalArgumentException(
          where + ": PubSub adapter factory '" + requested + "' not found (known: local, redis)");
    }
    return new PubSubConfig(selected);
  }
}
