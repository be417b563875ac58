package dev.iii.engine.modules.http;

import dev.iii.engine.modules.TriggerConditions;
import dev.iii.engine.registry.InvalidTriggerException;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import dev.iii.engine.support.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Arms {@code http} triggers: reads {@code api_path}, {@code http_method} (GET by default), {@code
 * condition_function_id} and {@code middleware_function_ids}, and puts the route in the table, live
 * at once. Stateless apart from the route table, which is thread-safe.
 */
final class HttpTriggerProvider implements TriggerProvider {

  /** The condition key of iii 0.8.3, which engines since 0.9.0 ignore. */
  private static final Logger log = LoggerFactory.getLogger(HttpTriggerProvider.class);

  /** Any worker can register triggers at will: one line per interval. */
  private static final RateLimitedLog warnings = new RateLimitedLog(log, Duration.ofSeconds(10));

  private final RouteTable routes;

  HttpTriggerProvider(RouteTable routes) {
    this.routes = routes;
  }

  @Override
  public void register(Trigger trigger) {
    JsonNode config = trigger.config();
    JsonNode apiPath = config.path("api_path");
    if (!apiPath.isString()) {
      throw new InvalidTriggerException("api_path is required for http triggers");
    }
    String path = apiPath.asString();
    JsonNode methodNode = config.path("http_method");
    String method = methodNode.isString() ? methodNode.asString().toUpperCase(Locale.ROOT) : "GET";
    if (!RouteTable.METHODS.contains(method)) {
      // As in the official engine: the trigger is kept, but serves nothing.
      warnings.warn(
          "unsupported http_method",
          "http trigger {} for {}: unsupported http_method {}; no route for {}",
          trigger.id(),
          trigger.functionId(),
          method,
          path);
      return;
    }
    List<HttpRoute.Segment> segments;
    try {
      segments = HttpRoute.parse(path);
    } catch (IllegalArgumentException e) {
      throw new InvalidTriggerException("invalid api_path '" + path + "': " + e.getMessage());
    }
    HttpRoute route =
        new HttpRoute(
            trigger.id(),
            trigger.functionId(),
            path,
            method,
            segments,
            TriggerConditions.conditionFunctionId(trigger),
            middleware(config.path("middleware_function_ids")),
            trigger.metadata());
    String conflict = routes.put(route);
    if (conflict != null) {
      throw new InvalidTriggerException(conflict);
    }
    log.debug("http trigger {}: {} {} -> {}", trigger.id(), method, path, trigger.functionId());
  }

  @Override
  public void unregister(Trigger trigger) {
    routes.removeTrigger(trigger.id());
  }

  /** The route's middleware ids, in order; entries that are not strings are skipped. */
  private static List<String> middleware(JsonNode ids) {
    List<String> result = new ArrayList<>();
    if (ids.isArray()) {
      for (JsonNode id : ids) {
        if (id.isString()) {
          result.add(id.asString());
        }
      }
    }
    return result;
  }
}
