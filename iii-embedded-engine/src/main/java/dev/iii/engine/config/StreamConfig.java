package dev.iii.engine.config;

import static dev.iii.engine.config.ConfigValues.isAbsent;
import static dev.iii.engine.config.ConfigValues.string;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The settings of the stream module: {@code stream::*} functions, the stream WebSocket and {@code
 * stream} triggers ({@code iii-stream} in a v0.22 config, {@code modules::stream::StreamModule} in
 * a 0.9 one). Immutable.
 *
 * <p>The official keys are {@code port} (3112), {@code host} (0.0.0.0), {@code auth_function} and
 * {@code adapter} ({@code {name, config}}; {@code kv} by default). This engine has only the {@code
 * kv} adapter: {@code redis} and {@code bridge} are read and replaced by {@code kv} with a warning.
 *
 * @param host the address the stream WebSocket binds; {@code null} (the default, and a config file
 *     without {@code host}) binds the engine's host, as the REST API does
 * @param port the stream WebSocket port (3112; 0 picks a free port)
 * @param authFunction the function called with each connection's request before the upgrade, or
 *     {@code null}
 * @param storeMethod the {@code kv} adapter's {@code store_method}: {@code in_memory} (default) or
 *     {@code file_based}
 * @param filePath the {@code kv} adapter's {@code file_path} (file-based storage), or {@code null}
 * @param saveIntervalMs the {@code kv} adapter's {@code save_interval_ms} (5000)
 */
public record StreamConfig(
    @Nullable String host,
    int port,
    @Nullable String authFunction,
    String storeMethod,
    @Nullable String filePath,
    long saveIntervalMs) {

  /** The official stream WebSocket port. */
  public static final int DEFAULT_PORT = 3112;

  /** The {@code kv} adapter's in-memory store method (the default). */
  public static final String IN_MEMORY = "in_memory";

  /** The {@code kv} adapter's file-based store method. */
  public static final String FILE_BASED = "file_based";

  private static final Logger log = LoggerFactory.getLogger(StreamConfig.class);

  public StreamConfig {
    EngineConfig.checkPort(port);
    if (!storeMethod.equals(IN_MEMORY) && !storeMethod.equals(FILE_BASED)) {
      throw new IllegalArgumentException(
          "store_method must be in_memory or file_based, got " + storeMethod);
    }
  }

  /** The official defaults: port 3112 on the engine's host, no auth function, in memory. */
  public static StreamConfig defaults() {
    return new StreamConfig(null, DEFAULT_PORT, null, IN_MEMORY, null, 5000);
  }

  /** The same settings on another port (0 picks a free port). */
  public StreamConfig withPort(int value) {
    return new StreamConfig(host, value, authFunction, storeMethod, filePath, saveIntervalMs);
  }

  /** The same settings on another host ({@code null}: the engine's host). */
  public StreamConfig withHost(@Nullable String value) {
    return new StreamConfig(value, port, authFunction, storeMethod, filePath, saveIntervalMs);
  }

  /** The same settings with another connection auth function ({@code null}: none). */
  public StreamConfig withAuthFunction(@Nullable String value) {
    return new StreamConfig(host, port, value, storeMethod, filePath, saveIntervalMs);
  }

  /**
   * Reads a config entry's settings; omitted ones take the official defaults.
   *
   * @param where names the entry in error messages
   * @param strict refuse unknown settings rather than warn
   * @throws IllegalArgumentException when a setting is not valid
   */
  static StreamConfig parse(JsonNode settings, String where, boolean strict) {
    ConfigValues.checkKeys(
        where, settings, List.of("port", "host", "auth_function", "adapter"), strict);
    StreamConfig defaults = defaults();
    JsonNode port = settings.path("port");
    JsonNode host = settings.path("host");
    JsonNode auth = settings.path("auth_function");
    String storeMethod = defaults.storeMethod();
    String filePath = null;
    long saveInterval = defaults.saveIntervalMs();
    JsonNode adapter = settings.path("adapter");
    if (!isAbsent(adapter)) {
      ConfigValues.checkKeys(where + " adapter", adapter, List.of("name", "config"), strict);
      String name =
          isAbsent(adapter.path("name"))
              ? ""
              : string(adapter.path("name"), where + " adapter name");
      JsonNode adapterConfig = adapter.path("config");
      switch (name) {
        case "kv", "" -> {
          ConfigValues.checkKeys(
              where + " adapter config",
              adapterConfig,
              List.of("store_method", "file_path", "save_interval_ms", "channel_size"),
              strict);
          JsonNode method = adapterConfig.path("store_method");
          if (!isAbsent(method)) {
            storeMethod = string(method, where + " adapter store_method");
          }
          JsonNode path = adapterConfig.path("file_path");
          filePath = isAbsent(path) ? null : string(path, where + " adapter file_path");
          saveInterval =
              ConfigValues.number(
                  adapterConfig.path("save_interval_ms"),
                  where + " adapter save_interval_ms",
                  saveInterval);
        }
        case "redis", "bridge" ->
            log.warn(
                "{}: the {} stream adapter is not available in the embedded engine; using the"
                    + " in-memory kv adapter",
                where,
                name);
        default ->
            throw new IllegalArgumentException(
                where + ": unknown stream adapter " + name + " (known: kv, redis, bridge)");
      }
    }
    return new StreamConfig(
        isAbsent(host) ? null : string(host, where + " host"),
        isAbsent(port) ? DEFAULT_PORT : ConfigValues.port(port, where + " port"),
        isAbsent(auth) ? null : string(auth, where + " auth_function"),
        storeMethod,
        filePath,
        saveInterval);
  }
}
