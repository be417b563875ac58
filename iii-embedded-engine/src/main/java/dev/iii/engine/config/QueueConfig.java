package dev.iii.engine.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The settings of the queue module: named queues, {@code TriggerAction.Enqueue}, dead letters and
 * durable topics ({@code iii-queue} in a v0.22 config, {@code modules::queue::QueueModule} in a 0.9
 * one). Immutable.
 *
 * @param queues the named queues by name; always holds {@link #DEFAULT_QUEUE}
 * @param store where messages are kept
 */
public record QueueConfig(Map<String, NamedQueue> queues, Store store) {

  /** The always-present queue, provisioned with the defaults unless configured. */
  public static final String DEFAULT_QUEUE = "default";

  private static final Logger log = LoggerFactory.getLogger(QueueConfig.class);

  private static final List<String> KEYS = List.of("queue_configs", "adapter");
  private static final List<String> QUEUE_KEYS =
      List.of(
          "max_retries",
          "concurrency",
          "type",
          "message_group_field",
          "max_priority",
          "priority_field",
          "backoff_ms",
          "poll_interval_ms");
  private static final List<String> ADAPTER_KEYS = List.of("name", "config");
  private static final List<String> STORE_KEYS =
      List.of("store_method", "file_path", "save_interval_ms");

  /** Copies the map and adds the {@code default} queue when it is missing. */
  public QueueConfig {
    Map<String, NamedQueue> copy = new LinkedHashMap<>(queues);
    copy.putIfAbsent(DEFAULT_QUEUE, NamedQueue.defaults());
    queues = Map.copyOf(copy);
  }

  /** The official defaults: the {@code default} queue, kept in memory. */
  public static QueueConfig defaults() {
    return new QueueConfig(Map.of(), Store.inMemory());
  }

  /** These settings with one more named queue (replacing one of the same name). */
  public QueueConfig withQueue(String name, NamedQueue queue) {
    Map<String, NamedQueue> copy = new LinkedHashMap<>(queues);
    copy.put(name, queue);
    return new QueueConfig(copy, store);
  }

  /** These settings with another store. */
  public QueueConfig withStore(Store store) {
    return new QueueConfig(queues, store);
  }

  /**
   * One entry of {@code queue_configs}.
   *
   * @param maxRetries deliveries before a message is dead-lettered (the official engine counts
   *     every attempt, the first included); default 3
   * @param concurrency messages processed at once (at least 1); a FIFO queue processes one at a
   *     time whatever this says; default 10
   * @param fifo {@code type: fifo} (ordered) rather than {@code standard}
   * @param messageGroupField the payload field that names a FIFO message's group; required for FIFO
   * @param backoffMs base of the retry delay, {@code backoff_ms × 2^(attempt−1)}; default 1000
   * @param pollIntervalMs accepted and ignored: this engine dispatches when a message arrives
   */
  public record NamedQueue(
      int maxRetries,
      int concurrency,
      boolean fifo,
      @Nullable String messageGroupField,
      long backoffMs,
      long pollIntervalMs) {

    /** The official defaults: a standard queue, 3 attempts, 10 at once, a 1 s backoff base. */
    public static NamedQueue defaults() {
      return new NamedQueue(3, 10, false, null, 1000, 100);
    }

    /** A FIFO queue ordered by {@code groupField}, with the other defaults. */
    public static NamedQueue fifo(String groupField) {
      return new NamedQueue(3, 10, true, groupField, 1000, 100);
    }

    /** This queue with other retry settings. */
    public NamedQueue withRetries(int maxRetries, long backoffMs) {
      return new NamedQueue(
          maxRetries, concurrency, fifo, messageGroupField, backoffMs, pollIntervalMs);
    }

    /** This queue with another concurrency. */
    public NamedQueue withConcurrency(int concurrency) {
      return new NamedQueue(
          maxRetries, concurrency, fifo, messageGroupField, backoffMs, pollIntervalMs);
    }
  }

  /**
   * The {@code builtin} adapter's store.
   *
   * @param directory {@code null} for {@code store_method: in_memory}; the {@code file_path}
   *     directory for {@code file_based}
   * @param saveIntervalMs how often changes are written to disk (official default 5000, at least
   *     100)
   */
  public record Store(@Nullable Path directory, long saveIntervalMs) {

    /** Messages kept in memory only (the official default). */
    public static Store inMemory() {
      return new Store(null, 5000);
    }

    /** Messages kept in {@code directory}, saved every {@code saveIntervalMs}. */
    public static Store fileBased(Path directory, long saveIntervalMs) {
      return new Store(directory, Math.max(100, saveIntervalMs));
    }
  }

  /**
   * Reads a config entry's settings; omitted ones take the official defaults.
   *
   * @param where names the entry in error messages
   * @param strict refuse unknown settings rather than warn
   * @throws IllegalArgumentException when a setting is not valid
   */
  static QueueConfig parse(JsonNode settings, String where, boolean strict) {
    ConfigValues.checkKeys(where, settings, KEYS, strict);
    Map<String, NamedQueue> queues = new LinkedHashMap<>();
    JsonNode configs = settings.path("queue_configs");
    if (!ConfigValues.isAbsent(configs)) {
      if (!configs.isObject()) {
        throw new IllegalArgumentException(where + ": queue_configs must be a mapping");
      }
      for (Map.Entry<String, JsonNode> entry : configs.properties()) {
        queues.put(entry.getKey(), queue(entry.getValue(), where, entry.getKey(), strict));
      }
    }
    return new QueueConfig(queues, store(settings.path("adapter"), where, strict));
  }

  private static NamedQueue queue(JsonNode node, String where, String name, boolean strict) {
    String at = where + ": queue '" + name + "'";
    ConfigValues.checkKeys(at, node, QUEUE_KEYS, strict);
    String type = node.path("type").isMissingNode() ? "standard" : node.path("type").asString();
    // The official engine's validation messages (config.rs, QueueModuleConfig::validate).
    if (!type.equals("standard") && !type.equals("fifo")) {
      throw new IllegalArgumentException(
          "Queue '" + name + "' has invalid type '" + type + "'. Must be 'standard' or 'fifo'");
    }
    JsonNode group = node.path("message_group_field");
    String groupField =
        ConfigValues.isAbsent(group)
            ? null
            : ConfigValues.string(group, at + " message_group_field");
    if (type.equals("fifo") && groupField == null) {
      throw new IllegalArgumentException(
          "Queue '" + name + "' is of type 'fifo' but 'message_group_field' is not set");
    }
    long concurrency = ConfigValues.number(node.path("concurrency"), at + " concurrency", 10);
    if (concurrency == 0) {
      throw new IllegalArgumentException(
          "Queue '" + name + "' has 'concurrency' 0; it must be at least 1");
    }
    long maxRetries = ConfigValues.number(node.path("max_retries"), at + " max_retries", 3);
    return new NamedQueue(
        (int) Math.min(maxRetries, Integer.MAX_VALUE),
        (int) Math.min(concurrency, Integer.MAX_VALUE),
        type.equals("fifo"),
        groupField,
        ConfigValues.number(node.path("backoff_ms"), at + " backoff_ms", 1000),
        ConfigValues.number(node.path("poll_interval_ms"), at + " poll_interval_ms", 100));
  }

  private static Store store(JsonNode adapter, String where, boolean strict) {
    if (ConfigValues.isAbsent(adapter)) {
      return Store.inMemory();
    }
    ConfigValues.checkKeys(where + ": adapter", adapter, ADAPTER_KEYS, strict);
    String name =
        adapter.path("name").isMissingNode() ? "builtin" : adapter.path("name").asString();
    JsonNode settings = adapter.path("config");
    if (!name.equals("builtin")) {
      // redis and rabbitmq connect several engines; an embedded engine is one process.
      log.warn(
          "{}: queue adapter '{}' is not supported by the embedded engine; using the builtin"
              + " in-memory queue instead",
          where,
          name);
      return Store.inMemory();
    }
    ConfigValues.checkKeys(where + ": adapter config", settings, STORE_KEYS, strict);
    String method =
        settings.path("store_method").isMissingNode()
            ? "in_memory"
            : settings.path("store_method").asString();
    long interval =
        ConfigValues.number(settings.path("save_interval_ms"), where + " save_interval_ms", 5000);
    return switch (method) {
      case "in_memory" -> Store.inMemory();
      case "file_based" -> {
        JsonNode path = settings.path("file_path");
        String directory =
            ConfigValues.isAbsent(path)
                ? "kv_store_data.db"
                : ConfigValues.string(path, where + " file_path");
        yield Store.fileBased(Path.of(directory), interval == 0 ? 5000 : interval);
      }
      default -> {
        log.warn("{}: unknown store_method '{}', using in_memory", where, method);
        yield Store.inMemory();
      }
    };
  }
}
