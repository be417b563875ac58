package dev.iii.engine.config;

import static dev.iii.engine.config.ConfigValues.bool;
import static dev.iii.engine.config.ConfigValues.checkKeys;
import static dev.iii.engine.config.ConfigValues.isAbsent;
import static dev.iii.engine.config.ConfigValues.list;
import static dev.iii.engine.config.ConfigValues.number;
import static dev.iii.engine.config.ConfigValues.port;
import static dev.iii.engine.config.ConfigValues.signedNumber;
import static dev.iii.engine.config.ConfigValues.string;
import static dev.iii.engine.config.ConfigValues.strings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The settings of the modules this engine implements, the same in both config formats (a 0.9 {@code
 * modules:} entry's {@code config} and a v0.22 {@code workers:} entry's). Omitted settings take the
 * official defaults. Stateless.
 */
final class ModuleSettings {

  private static final Logger log = LoggerFactory.getLogger(ModuleSettings.class);

  private ModuleSettings() {}

  /**
   * The REST API: {@code port}, {@code host}, {@code default_timeout}, {@code cors}, {@code
   * concurrency_request_limit} and {@code middleware}. Without a {@code host} it binds the engine's
   * host ({@link RestApiConfig#host()} is {@code null}).
   *
   * @param where names the entry in error messages
   * @param strict refuse unknown settings rather than warn
   */
  static RestApiConfig restApi(JsonNode settings, String where, boolean strict) {
    checkKeys(
        where,
        settings,
        List.of(
            "port", "host", "default_timeout", "cors", "concurrency_request_limit", "middleware"),
        strict);
    JsonNode portNode = settings.path("port");
    int port = isAbsent(portNode) ? RestApiConfig.DEFAULT_PORT : port(portNode, where + " port");
    JsonNode host = settings.path("host");
    long timeout = number(settings.path("default_timeout"), where + " default_timeout", 30_000);
    long limit =
        number(
            settings.path("concurrency_request_limit"), where + " concurrency_request_limit", 1024);
    if (limit == 0) {
      // As the official engine does: no permit at all would hang every request.
      log.warn("{}: concurrency_request_limit 0 would block all requests; clamped to 1", where);
      limit = 1;
    }
    if (limit > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          where + " concurrency_request_limit is too large: " + limit);
    }
    JsonNode cors = settings.path("cors");
    RestApiConfig.CorsConfig corsConfig = null;
    if (!isAbsent(cors)) {
      checkKeys(where + " cors", cors, List.of("allowed_origins", "allowed_methods"), strict);
      corsConfig =
          new RestApiConfig.CorsConfig(
              strings(cors.path("allowed_origins"), where + " cors.allowed_origins"),
              strings(cors.path("allowed_methods"), where + " cors.allowed_methods"));
    }
    return new RestApiConfig(
        // Absent: the engine's host (the command line's --host, the worker listener's host or the
        // official 0.0.0.0), so that one --host governs every listener.
        isAbsent(host) ? null : string(host, where + " host"),
        port,
        Duration.ofMillis(timeout),
        corsConfig,
        (int) limit,
        middleware(settings.path("middleware"), where + " middleware", strict));
  }

  /** Global middleware: {@code [{function_id, phase?, priority?}]}. */
  private static List<RestApiConfig.MiddlewareConfig> middleware(
      JsonNode node, String where, boolean strict) {
    List<RestApiConfig.MiddlewareConfig> result = new ArrayList<>();
    for (JsonNode entry : list(node, where + " must be a list of {function_id, phase, priority}")) {
      checkKeys(where, entry, List.of("function_id", "phase", "priority"), strict);
      JsonNode functionId = entry.path("function_id");
      if (!functionId.isString() || functionId.asString().isEmpty()) {
        throw new IllegalArgumentException(where + ": every entry needs a function_id");
      }
      JsonNode phaseNode = entry.path("phase");
      String phase =
          isAbsent(phaseNode)
              ? RestApiConfig.MiddlewareConfig.PRE_HANDLER
              : string(phaseNode, where + " phase");
      if (!phase.equals(RestApiConfig.MiddlewareConfig.PRE_HANDLER)) {
        log.warn(
            "{}: {} has phase {}; only {} middleware runs, so it never will",
            where,
            functionId.asString(),
            phase,
            RestApiConfig.MiddlewareConfig.PRE_HANDLER);
      }
      result.add(
          new RestApiConfig.MiddlewareConfig(
              functionId.asString(),
              phase,
              signedNumber(entry.path("priority"), where + " priority", 0)));
    }
    return result;
  }

  /**
   * HTTP-invoked functions: {@code security: {url_allowlist, block_private_ips, require_https}}.
   */
  static HttpFunctionsConfig httpFunctions(
      JsonNode settings,
      String where,
      boolean strict,
      Function<String, @Nullable String> environment) {
    checkKeys(where, settings, List.of("security"), strict);
    JsonNode security = settings.path("security");
    if (isAbsent(security)) {
      return HttpFunctionsConfig.secure().withEnvironment(environment);
    }
    checkKeys(
        where + " security",
        security,
        List.of("url_allowlist", "block_private_ips", "require_https"),
        strict);
    List<String> allowlist =
        strings(security.path("url_allowlist"), where + " security.url_allowlist");
    return new HttpFunctionsConfig(
        allowlist.isEmpty() ? List.of("*") : allowlist,
        bool(security.path("block_private_ips"), where + " security.block_private_ips"),
        bool(security.path("require_https"), where + " security.require_https"),
        environment);
  }

  /**
   * Cron: its only setting, {@code adapter}, chooses the lock backend between engine instances;
   * this engine is one instance and needs none.
   */
  static CronConfig cron(JsonNode settings, String where, boolean strict) {
    checkKeys(where, settings, List.of("adapter"), strict);
    if (!isAbsent(settings.path("adapter"))) {
      log.info("{}: adapter ignored; a single embedded engine needs no cron locks", where);
    }
    return new CronConfig();
  }
}
