package dev.iii.engine.config;

import static dev.iii.engine.config.ConfigValues.checkKeys;
import static dev.iii.engine.config.ConfigValues.isAbsent;
import static dev.iii.engine.config.ConfigValues.list;
import static dev.iii.engine.config.ConfigValues.port;
import static dev.iii.engine.config.ConfigValues.string;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The config format of engines since v0.22: lists of {@code {name, image?, config?}} entries under
 * {@code workers:} (and {@code modules:}), the worker port and host in the {@code
 * iii-worker-manager} entry. Only listed workers run, besides the mandatory ones; settings are
 * checked as strictly as the official engine checks them. Stateless.
 */
final class WorkersFormat {

  /** The REST API's name, and the name it is migrating to. */
  static final String HTTP = "iii-http";

  static final String HTTP_NEW = "http";

  /** Cron's name, and the name it is migrating to. */
  static final String CRON = "iii-cron";

  static final String CRON_NEW = "cron";

  static final String HTTP_FUNCTIONS = "iii-http-functions";

  static final String WORKER_MANAGER = "iii-worker-manager";

  /** State's name, and the name it is migrating to. */
  static final String STATE = "iii-state";

  static final String STATE_NEW = "state";

  static final String STREAM = "iii-stream";

  /** Pub/sub's name, and the name it is migrating to. */
  static final String PUBSUB = "iii-pubsub";

  static final String PUBSUB_NEW = "pubsub";

  /**
   * The queue's built-in name, and the standalone worker that replaces it since v0.22 (same config
   * keys).
   */
  static final String QUEUE = "iii-queue";

  static final String QUEUE_NEW = "queue";

  /** Workers the official engine always runs; listing them changes nothing here. */
  private static final Set<String> MANDATORY =
      Set.of("configuration", "iii-engine-functions", "iii-telemetry");

  /** Deprecated built-in names and their replacements, which must not both be listed. */
  private static final List<Map.Entry<String, String>> MIGRATED =
      List.of(
          Map.entry(HTTP, HTTP_NEW),
          Map.entry(CRON, CRON_NEW),
          Map.entry(QUEUE, QUEUE_NEW),
          Map.entry(STATE, STATE_NEW),
          Map.entry(PUBSUB, PUBSUB_NEW));

  private static final Logger log = LoggerFactory.getLogger(WorkersFormat.class);

  private WorkersFormat() {}

  /**
   * Reads the entries of {@code workers:} then {@code modules:}.
   *
   * @throws IllegalArgumentException when they are not valid
   */
  static EngineConfig load(JsonNode root, Function<String, @Nullable String> environment) {
    List<JsonNode> entries = new ArrayList<>();
    entries.addAll(list(root.path("workers"), "workers must be a list of {name, config}"));
    entries.addAll(list(root.path("modules"), "modules must be a list of {name, config}"));
    List<String> names = new ArrayList<>();
    for (JsonNode entry : entries) {
      JsonNode name = entry.path("name");
      if (!name.isString() || name.asString().isEmpty()) {
        throw new IllegalArgumentException("every worker entry needs a name, got " + entry);
      }
      names.add(name.asString());
    }
    checkMigratedDuplicates(names);

    EngineConfig config =
        new EngineConfig(
            EngineConfigLoader.ALL_INTERFACES,
            EngineConfig.DEFAULT_PORT,
            null,
            null,
            null,
            List.of());
    Set<String> seen = new HashSet<>();
    Set<String> skipped = new LinkedHashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonNode entry = entries.get(i);
      String name = names.get(i);
      // "iii-http#1" is a second instance of iii-http.
      String type = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
      if (!isAbsent(entry.path("image"))) {
        skipped.add(name); // an external worker in a container image
        continue;
      }
      String kind = kind(type);
      if (kind == null) {
        if (!MANDATORY.contains(type)) {
          skipped.add(name);
        }
        continue;
      }
      if (!seen.add(kind)) {
        log.warn(
            "Config entry {} is another instance of {}; the embedded engine runs one, so it is"
                + " ignored",
            name,
            kind);
        continue;
      }
      JsonNode settings = entry.path("config");
      config =
          switch (kind) {
            case HTTP -> config.withRestApi(ModuleSettings.restApi(settings, name, true));
            case CRON -> config.withCron(ModuleSettings.cron(settings, name, true));
            case HTTP_FUNCTIONS ->
                config.withHttpFunctions(
                    ModuleSettings.httpFunctions(settings, name, true, environment));
            case STATE -> config.withState(StateConfig.parse(settings, name, true));
            case STREAM -> config.withStream(StreamConfig.parse(settings, name, true));
            case PUBSUB -> config.withPubsub(PubSubConfig.parse(settings, name, true));
            case QUEUE -> config.withQueue(QueueConfig.parse(settings, name, true));
            default -> workerManager(config, settings, name);
          };
    }
    return config.withSkippedModules(List.copyOf(skipped));
  }

  /** What an entry's worker type maps to here, or {@code null} for none. */
  private static @Nullable String kind(String type) {
    return switch (type) {
      case HTTP, HTTP_NEW -> HTTP;
      case CRON, CRON_NEW -> CRON;
      case STATE, STATE_NEW -> STATE;
      case PUBSUB, PUBSUB_NEW -> PUBSUB;
      case QUEUE, QUEUE_NEW -> QUEUE;
      case HTTP_FUNCTIONS, WORKER_MANAGER, STREAM -> type;
      default -> null;
    };
  }

  /**
   * The worker WebSocket listener: {@code port}, {@code host} and {@code handshake_timeout_ms}; the
   * rest is not supported.
   */
  private static EngineConfig workerManager(EngineConfig config, JsonNode settings, String where) {
    List<String> ignored = List.of("middleware_function_id", "rbac");
    List<String> known = new ArrayList<>(List.of("port", "host", "handshake_timeout_ms"));
    known.addAll(ignored);
    checkKeys(where, settings, known, true);
    for (String key : ignored) {
      if (!isAbsent(settings.path(key))) {
        log.warn(
            "{}: {} is not supported by the embedded engine and is ignored{}",
            where,
            key,
            key.equals("rbac") ? " (workers connect without authentication)" : "");
      }
    }
    JsonNode portNode = settings.path("port");
    JsonNode host = settings.path("host");
    JsonNode handshake = settings.path("handshake_timeout_ms");
    if (!isAbsent(handshake)) {
      config =
          config.withLimits(
              config
                  .limits()
                  .withHandshakeTimeout(
                      Duration.ofMillis(
                          ConfigValues.number(handshake, where + " handshake_timeout_ms", 0))));
    }
    return config
        .withPort(isAbsent(portNode) ? EngineConfig.DEFAULT_PORT : port(portNode, where + " port"))
        .withHost(
            isAbsent(host) ? EngineConfigLoader.ALL_INTERFACES : string(host, where + " host"));
  }

  /**
   * Refuses a deprecated built-in name listed together with its replacement, as the engine does.
   */
  private static void checkMigratedDuplicates(List<String> names) {
    List<String> conflicts = new ArrayList<>();
    for (Map.Entry<String, String> migrated : MIGRATED) {
      if (names.contains(migrated.getKey()) && names.contains(migrated.getValue())) {
        conflicts.add(
            "- '"
                + migrated.getKey()
                + "' is the deprecated name for '"
                + migrated.getValue()
                + "', but both are present. Remove '"
                + migrated.getKey()
                + "' from your configuration.");
      }
    }
    if (!conflicts.isEmpty()) {
      throw new IllegalArgumentException(
          "Duplicate worker configurations:\n" + String.join("\n", conflicts));
    }
  }
}
