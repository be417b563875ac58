package dev.iii.engine.modules.http;

import dev.iii.engine.registry.InvalidTriggerException;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Arms {@code http} triggers: reads {@code api_path}, {@code http_method} (GET by default) and
 * {@code _condition_path} and puts the route in the table, live at once.
 */
final class HttpTriggerProvider implements TriggerProvider {

  private static final Logger log = LoggerFactory.getLogger(HttpTriggerProvider.class);

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
      log.warn(
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
      throw refused(path, e);
    }
    HttpRoute route =
        new HttpRoute(
            trigger.id(), trigger.functionId(), path, method, segments, condition(config));
    try {
      routes.put(route);
    } catch (IllegalArgumentException e) {
      throw refused(path, e);
    }
    log.debug("http trigger {}: {} {} -> {}", trigger.id(), method, path, trigger.functionId());
  }

  @Override
  public void unregister(Trigger trigger) {
    routes.removeTrigger(trigger.id());
  }

  private static @Nullable String condition(JsonNode config) {
    JsonNode condition = config.path("_condition_path");
    return condition.isString() ? condition.asString() : null;
  }

  private static InvalidTriggerException refused(String path, IllegalArgumentException cause) {
    // The registry's log line names the trigger and its function.
    return new InvalidTriggerException("invalid api_path '" + path + "': " + cause.getMessage());
  }
}
