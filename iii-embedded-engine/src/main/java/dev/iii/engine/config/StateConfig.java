package dev.iii.engine.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The settings of the state module: {@code state::*} functions and {@code state} triggers ({@code
 * iii-state} in a v0.22 config, {@code modules::state::StateModule} in a 0.9 one), with the
 * official keys and defaults ({@code engine/src/workers/state/config.rs}): {@code adapter: {name:
 * kv, config: {store_method, file_path, save_interval_ms}}}, {@code triggers_enabled}, {@code
 * max_value_bytes}, {@code save_interval_ms}. Only the built-in {@code kv} adapter exists here:
 * {@code redis} and {@code bridge} are refused at startup. Immutable.
 *
 * @param fileBased whether the store is saved to files ({@code store_method: file_based}); else it
 *     lives in memory ({@code in_memory}, the default)
 * @param filePath the directory of a file-based store (default {@code kv_store_data.db})
 * @param saveInterval how often a file-based store saves (default 5 s, at least 100 ms)
 * @param triggersEnabled whether {@code state} triggers fire (default true)
 * @param maxValueBytes the largest value {@code state::set} accepts, as compact JSON, or {@code
 *     null} for no limit (the default)
 */
public record StateConfig(
    boolean fileBased,
    Path filePath,
    Duration saveInterval,
    boolean triggersEnabled,
    @Nullable Long maxValueBytes) {

  /** The official default directory of a file-based store. */
  public static final String DEFAULT_FILE_PATH = "kv_store_data.db";

  private static final long MAX_SAVE_INTERVAL_MS = 3_600_000;
  private static final Logger log = LoggerFactory.getLogger(StateConfig.class);

  /** The official defaults. */
  public static StateConfig defaults() {
    return new StateConfig(false, Path.of(DEFAULT_FILE_PATH), Duration.ofMillis(5000), true, null);
  }

  /** The same settings with a file-based store under {@code directory}. */
  public StateConfig withFileStore(Path directory, Duration interval) {
    return new StateConfig(true, directory, interval, triggersEnabled, maxValueBytes);
  }

  /** The same settings with {@code max_value_bytes} ({@code null}: no limit). */
  public StateConfig withMaxValueBytes(@Nullable Long limit) {
    return new StateConfig(fileBased, filePath, saveInterval, triggersEnabled, limit);
  }

  /** The same settings with {@code triggers_enabled}. */
  public StateConfig withTriggersEnabled(boolean enabled) {
    return new StateConfig(fileBased, filePath, saveInterval, enabled, maxValueBytes);
  }

  /**
   * Reads a config entry's settings; omitted ones take the official defaults.
   *
   * @param where names the entry in error messages
   * @param strict refuse unknown settings rather than warn
   * @throws IllegalArgumentException when a setting is not valid, or the adapter is not {@code kv}
   */
  static StateConfig parse(JsonNode settings, String where, boolean strict) {
    ConfigValues.checkKeys(
        where,
        settings,
        List.of("adapter", "triggers_enabled", "max_value_bytes", "save_interval_ms"),
        strict);
    JsonNode adapter = settings.path("adapter");
    boolean fileBased = false;
    String filePath = DEFAULT_FILE_PATH;
    long interval = 5000;
    if (!ConfigValues.isAbsent(adapter)) {
      ConfigValues.checkKeys(
          where + " adapter", adapter, List.of("name", "class", "config"), strict);
      checkAdapter(where, adapter);
      JsonNode kv = adapter.path("config");
      String at = where + " adapter.config";
      ConfigValues.checkKeys(
          at, kv, List.of("store_method", "file_path", "save_interval_ms"), strict);
      JsonNode method = kv.path("store_method");
      if (!ConfigValues.isAbsent(method)) {
        String name = ConfigValues.string(method, at + ".store_method");
        fileBased = name.equals("file_based");
        if (!fileBased && !name.equals("in_memory")) {
          // As the official kv store does: an unknown method falls back to memory, with a warning.
          log.warn("{}.store_method: unknown store method {}, keeping data in memory", at, name);
        }
      }
      JsonNode path = kv.path("file_path");
      if (!ConfigValues.isAbsent(path)) {
        filePath = ConfigValues.string(path, at + ".file_path");
      }
      long inner = ConfigValues.number(kv.path("save_interval_ms"), at + ".save_interval_ms", 0);
      interval = inner > 0 ? inner : 5000;
    }
    long outer =
        ConfigValues.number(settings.path("save_interval_ms"), where + ".save_interval_ms", 0);
    if (outer >= 100 && outer <= MAX_SAVE_INTERVAL_MS) {
      interval = outer;
    } else if (!ConfigValues.isAbsent(settings.path("save_interval_ms"))) {
      log.warn(
          "{}.save_interval_ms: {} is outside [100, {}], ignored (as the official engine does)",
          where,
          outer,
          MAX_SAVE_INTERVAL_MS);
    }
    long max = ConfigValues.number(settings.path("max_value_bytes"), where + ".max_value_bytes", 0);
    return new StateConfig(
        fileBased,
        Path.of(filePath),
        Duration.ofMillis(Math.max(interval, 100)),
        ConfigValues.bool(settings.path("triggers_enabled"), where + ".triggers_enabled"),
        max > 0 ? Long.valueOf(max) : null);
  }

  /** Only {@code kv} ({@code modules::state::adapters::KvStore} in the 0.9 format) is built in. */
  private static void checkAdapter(String where, JsonNode adapter) {
    JsonNode name = adapter.path("name");
    JsonNode type = adapter.path("class");
    String key = ConfigValues.isAbsent(name) ? "class" : "name";
    String value =
        ConfigValues.isAbsent(name)
            ? (ConfigValues.isAbsent(type)
                ? "kv"
                : ConfigValues.string(type, where + ".adapter.class"))
            : ConfigValues.string(name, where + ".adapter.name");
    if (value.equals("kv") || value.endsWith("::KvStore")) {
      return;
    }
    throw new IllegalArgumentException(
        where
            + ": adapter."
            + key
            + " "
            + value
            + " is not available in the embedded engine; only the built-in kv adapter is"
            + " (store_method in_memory or file_based)");
  }
}
