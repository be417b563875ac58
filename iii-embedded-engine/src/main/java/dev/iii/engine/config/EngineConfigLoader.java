package dev.iii.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a config file in either of the official engine's formats.
 *
 * <p>The v0.22 format ({@link WorkersFormat}):
 *
 * <pre>
 * workers:
 *   - name: iii-worker-manager         # worker WebSocket: port (49134), host (0.0.0.0)
 *     config: {port: 49134}
 *   - name: iii-http                   # or "http"; host: the engine's unless given
 *     config: {port: 3111, host: 0.0.0.0, default_timeout: 30000, concurrency_request_limit: 1024,
 *              cors: {allowed_origins: [...], allowed_methods: [...]},
 *              middleware: [{function_id: mw::auth, phase: preHandler, priority: 0}]}
 *   - name: iii-cron                   # or "cron"
 *   - name: iii-http-functions
 *     config: {security: {url_allowlist: [...], block_private_ips: true, require_https: true}}
 * </pre>
 *
 * <p>The 0.9 format:
 *
 * <pre>
 * port: 49134                      # worker WebSocket port (0 or absent: 49134)
 * modules:
 *   - class: modules::api::RestApiModule
 *     config: {port: 3111, host: 0.0.0.0, default_timeout: 30000, ...}
 *   - class: modules::cron::CronModule
 *   - class: modules::http_functions::HttpFunctionsModule
 *     config: {security: {...}}
 * </pre>
 *
 * <p>Either format may have a {@code limits:} section (an extension of the embedded engine: see
 * {@link EngineLimits} for its keys), e.g. {@code limits: {max_request_body_bytes: 1048576}}.
 *
 * <p>{@code ${VAR}} and {@code ${VAR:default}} are replaced with the environment's values first; a
 * variable that is unset and has no default is an error. As in the official engine, only the listed
 * modules run (the worker listener always does), the engine binds every interface ({@code 0.0.0.0})
 * unless the worker listener names a host, and each module's omitted settings take the official
 * defaults. The REST API binds its own {@code host} when the file gives one, else the engine's host
 * (so {@code --host} on the command line covers it too). Workers and modules this engine does not
 * implement (observability, bridge, shell, external images, …) are collected in {@link
 * EngineConfig#skippedModules()}. Unknown settings of the implemented ones are refused in the v0.22
 * format, as the official engine refuses them, and only warned about in the 0.9 format. A file that
 * loads none of the REST API, cron and HTTP functions is accepted with a warning.
 */
public final class EngineConfigLoader {

  /** The REST API module's class name (0.9 format). */
  public static final String REST_API = "modules::api::RestApiModule";

  /** The cron module's class name (0.9 format). */
  public static final String CRON = "modules::cron::CronModule";

  /** The HTTP functions module's class name (0.9 format). */
  public static final String HTTP_FUNCTIONS = "modules::http_functions::HttpFunctionsModule";

  /** The REST API's worker name (v0.22 format; {@code http} is accepted too). */
  public static final String HTTP_WORKER = WorkersFormat.HTTP;

  /** The host the official engine binds when a config file is given. */
  public static final String ALL_INTERFACES = "0.0.0.0";

  /** The state module's class name (0.9 format). */
  public static final String STATE = "modules::state::StateModule";

  /** The stream module's class name (0.9 format). */
  public static final String STREAM = "modules::stream::StreamModule";

  /** The pub/sub module's class name (0.9 format). */
  public static final String PUBSUB = "modules::pubsub::PubSubModule";

  /** The queue module's class name (0.9 format). */
  public static final String QUEUE = "modules::queue::QueueModule";

  /** Modules this engine always runs; listing them changes nothing. */
  private static final List<String> MANDATORY =
      List.of("modules::worker::WorkerModule", "modules::telemetry::TelemetryModule");

  private static final List<String> TOP_LEVEL_KEYS =
      List.of("port", "modules", "workers", "limits");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

  private static final Logger log = LoggerFactory.getLogger(EngineConfigLoader.class);

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private EngineConfigLoader() {}

  /**
   * Reads a config file, with variables from the process environment.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when its content is not a valid config (the message says
   *     where)
   */
  public static EngineConfig load(Path file) throws IOException {
    String yaml = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return load(yaml, System::getenv);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a config from YAML text.
   *
   * @param environment looks up the variables of {@code ${VAR}} and, later, the secrets named by
   *     HTTP functions' auth settings
   * @throws IllegalArgumentException when the content is not a valid config
   */
  public static EngineConfig load(String yaml, Function<String, @Nullable String> environment) {
    JsonNode root;
    try {
      root = YAML.readTree(substitute(yaml, environment));
    } catch (JacksonException e) {
      throw new IllegalArgumentException("invalid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("the config must be a mapping with workers (or modules)");
    }
    for (String key : root.propertyNames()) {
      if (!TOP_LEVEL_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown top-level key " + key + " (a config has workers, or port and modules)");
      }
    }
    EngineConfig config =
        isWorkersFormat(root)
            ? WorkersFormat.load(root, environment)
            : loadModules(root, environment);
    if (root.has("limits")) {
      config = config.withLimits(EngineLimits.load(root.path("limits"), config.limits()));
    }
    if (config.restApi() == null && config.cron() == null && config.httpFunctions() == null) {
      log.warn(
          "The config loads no REST API, cron or HTTP functions: the engine serves workers only"
              + " (list iii-http, iii-cron or iii-http-functions under workers: to load them)");
    }
    return config;
  }

  /**
   * Whether the file is in the v0.22 format: it has {@code workers:}, or {@code modules:} entries
   * with a {@code name}. Mixing that with the 0.9 format's {@code port} or {@code class} entries is
   * an error, since neither official engine reads both.
   */
  private static boolean isWorkersFormat(JsonNode root) {
    boolean named = root.has("workers");
    boolean legacy = root.has("port");
    for (JsonNode module : root.path("modules")) {
      named |= module.has("name");
      legacy |= module.has("class");
    }
    if (named && legacy) {
      throw new IllegalArgumentException(
          "the config mixes the v0.22 format (workers, entries with name) with the 0.9 format"
              + " (port, modules entries with class); use one");
    }
    return named;
  }

  /** The 0.9 format: {@code port} and {@code modules: [{class, config}]}. */
  private static EngineConfig loadModules(
      JsonNode root, Function<String, @Nullable String> environment) {
    int port = ConfigValues.port(root.path("port"), "port");
    EngineConfig config =
        new EngineConfig(
            ALL_INTERFACES,
            port == 0 ? EngineConfig.DEFAULT_PORT : port,
            null,
            null,
            null,
            List.of());
    List<String> skipped = new ArrayList<>();
    JsonNode modules = root.path("modules");
    for (JsonNode module :
        ConfigValues.list(modules, "modules must be a list of {class, config}")) {
      JsonNode classNode = module.path("class");
      if (!classNode.isString()) {
        throw new IllegalArgumentException("every entry of modules needs a class, got " + module);
      }
      String className = classNode.asString();
      JsonNode settings = module.path("config");
      switch (className) {
        case REST_API ->
            config = config.withRestApi(ModuleSettings.restApi(settings, REST_API, false));
        case CRON -> config = config.withCron(ModuleSettings.cron(settings, CRON, false));
        case HTTP_FUNCTIONS ->
            config =
                config.withHttpFunctions(
                    ModuleSettings.httpFunctions(settings, HTTP_FUNCTIONS, false, environment));
        case STATE -> config = config.withState(StateConfig.parse(settings, STATE, false));
        case STREAM -> config = config.withStream(StreamConfig.parse(settings, STREAM, false));
        case PUBSUB -> config = config.withPubsub(PubSubConfig.parse(settings, PUBSUB, false));
        case QUEUE -> config = config.withQueue(QueueConfig.parse(settings, QUEUE, false));
        default -> {
          if (!MANDATORY.contains(className)) {
            skipped.add(className);
          }
        }
      }
    }
    return config.withSkippedModules(skipped);
  }

  /** Replaces {@code ${VAR}} and {@code ${VAR:default}}. */
  static String substitute(String text, Function<String, @Nullable String> environment) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String value = environment.apply(name);
      if (value == null) {
        value = matcher.group(2);
      }
      if (value == null) {
        throw new IllegalArgumentException(
            "environment variable " + name + " is not set and ${" + name + "} has no default");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
