package dev.iii.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Reads a config file in the official engine's format:
 *
 * <pre>
 * port: 49134                      # worker WebSocket port (0 or absent: 49134)
 * modules:
 *   - class: modules::api::RestApiModule
 *     config: {port: 3111, host: 0.0.0.0, default_timeout: 30000, concurrency_request_limit: 1024,
 *              cors: {allowed_origins: [...], allowed_methods: [...]}}
 *   - class: modules::cron::CronModule
 *   - class: modules::http_functions::HttpFunctionsModule
 *     config: {security: {url_allowlist: [...], block_private_ips: true, require_https: true}}
 * </pre>
 *
 * <p>{@code ${VAR}} and {@code ${VAR:default}} are replaced with the environment's values first; a
 * variable that is unset and has no default is an error. As in the official engine, only the listed
 * modules run (the worker module always does), the engine binds every interface ({@code 0.0.0.0})
 * and each module's omitted settings take the official defaults. Module classes this engine does
 * not implement (state, stream, queue, pubsub, observability, …) are collected in {@link
 * EngineConfig#skippedModules()}; unknown settings of the implemented modules are ignored with a
 * warning rather than refused, so newer config files still load.
 */
public final class EngineConfigLoader {

  /** The REST API module's class name. */
  public static final String REST_API = "modules::api::RestApiModule";

  /** The cron module's class name. */
  public static final String CRON = "modules::cron::CronModule";

  /** The HTTP functions module's class name. */
  public static final String HTTP_FUNCTIONS = "modules::http_functions::HttpFunctionsModule";

  /** The host the official engine binds when a config file is given. */
  public static final String ALL_INTERFACES = "0.0.0.0";

  /** Modules this engine always runs; listing them changes nothing. */
  private static final List<String> MANDATORY =
      List.of("modules::worker::WorkerModule", "modules::telemetry::TelemetryModule");

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
      throw new IllegalArgumentException("the config must be a mapping with port and modules");
    }
    int port = port(root.path("port"), "port");
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
    if (!modules.isMissingNode() && !modules.isNull() && !modules.isArray()) {
      throw new IllegalArgumentException("modules must be a list of {class, config}");
    }
    for (JsonNode module : modules) {
      JsonNode classNode = module.path("class");
      if (!classNode.isString()) {
        throw new IllegalArgumentException("every entry of modules needs a class, got " + module);
      }
      String className = classNode.asString();
      JsonNode settings = module.path("config");
      switch (className) {
        case REST_API -> config = config.withRestApi(restApi(settings));
        case CRON -> config = config.withCron(new CronConfig());
        case HTTP_FUNCTIONS ->
            config = config.withHttpFunctions(httpFunctions(settings, environment));
        default -> {
          if (!MANDATORY.contains(className)) {
            skipped.add(className);
          }
        }
      }
    }
    return new EngineConfig(
        config.host(),
        config.port(),
        config.restApi(),
        config.cron(),
        config.httpFunctions(),
        skipped);
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

  private static RestApiConfig restApi(JsonNode settings) {
    warnUnknown(
        REST_API,
        settings,
        List.of("port", "host", "default_timeout", "cors", "concurrency_request_limit"));
    JsonNode portNode = settings.path("port");
    int port = isAbsent(portNode) ? RestApiConfig.DEFAULT_PORT : port(portNode, REST_API + " port");
    JsonNode host = settings.path("host");
    long timeout = number(settings.path("default_timeout"), REST_API + " default_timeout", 30_000);
    long limit =
        number(
            settings.path("concurrency_request_limit"),
            REST_API + " concurrency_request_limit",
            1024);
    if (limit < 1 || limit > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          REST_API + " concurrency_request_limit must be at least 1, got " + limit);
    }
    JsonNode cors = settings.path("cors");
    RestApiConfig.CorsConfig corsConfig =
        isAbsent(cors)
            ? null
            : new RestApiConfig.CorsConfig(
                strings(cors.path("allowed_origins"), REST_API + " cors.allowed_origins"),
                strings(cors.path("allowed_methods"), REST_API + " cors.allowed_methods"));
    return new RestApiConfig(
        isAbsent(host) ? ALL_INTERFACES : string(host, REST_API + " host"),
        port,
        Duration.ofMillis(timeout),
        corsConfig,
        (int) limit);
  }

  private static HttpFunctionsConfig httpFunctions(
      JsonNode settings, Function<String, @Nullable String> environment) {
    warnUnknown(HTTP_FUNCTIONS, settings, List.of("security"));
    JsonNode security = settings.path("security");
    if (isAbsent(security)) {
      return HttpFunctionsConfig.secure().withEnvironment(environment);
    }
    warnUnknown(
        HTTP_FUNCTIONS + " security",
        security,
        List.of("url_allowlist", "block_private_ips", "require_https"));
    List<String> allowlist =
        strings(security.path("url_allowlist"), HTTP_FUNCTIONS + " security.url_allowlist");
    return new HttpFunctionsConfig(
        allowlist.isEmpty() ? List.of("*") : allowlist,
        bool(security.path("block_private_ips"), HTTP_FUNCTIONS + " security.block_private_ips"),
        bool(security.path("require_https"), HTTP_FUNCTIONS + " security.require_https"),
        environment);
  }

  private static void warnUnknown(String where, JsonNode settings, List<String> known) {
    if (!settings.isObject()) {
      if (!isAbsent(settings)) {
        throw new IllegalArgumentException(where + " config must be a mapping, got " + settings);
      }
      return;
    }
    for (Map.Entry<String, JsonNode> entry : settings.properties()) {
      if (!known.contains(entry.getKey())) {
        log.warn("{}: ignoring unknown setting {}", where, entry.getKey());
      }
    }
  }

  private static boolean isAbsent(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }

  private static int port(JsonNode node, String what) {
    if (isAbsent(node)) {
      return 0;
    }
    long value = number(node, what, 0);
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(what + " must be between 0 and 65535, got " + value);
    }
    return (int) value;
  }

  /** A non-negative integer; YAML scalars from substituted variables may arrive as strings. */
  private static long number(JsonNode node, String what, long defaultValue) {
    if (isAbsent(node)) {
      return defaultValue;
    }
    if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
      return node.asLong();
    }
    if (node.isString() && node.asString().matches("\\d{1,18}")) {
      return Long.parseLong(node.asString());
    }
    throw new IllegalArgumentException(what + " must be a non-negative integer, got " + node);
  }

  private static boolean bool(JsonNode node, String what) {
    if (isAbsent(node)) {
      // Both security switches default to on.
      return true;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isString() && (node.asString().equals("true") || node.asString().equals("false"))) {
      return Boolean.parseBoolean(node.asString());
    }
    throw new IllegalArgumentException(what + " must be true or false, got " + node);
  }

  private static String string(JsonNode node, String what) {
    if (node.isString() || node.isNumber()) {
      return node.asString();
    }
    throw new IllegalArgumentException(what + " must be a string, got " + node);
  }

  private static List<String> strings(JsonNode node, String what) {
    if (isAbsent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(what + " must be a list of strings, got " + node);
    }
    List<String> values = new ArrayList<>();
    for (JsonNode element : node) {
      values.add(string(element, what));
    }
    return values;
  }
}
