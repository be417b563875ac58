package dev.iii.spring.worker;

import dev.iii.spring.annotation.CronTrigger;
import dev.iii.spring.annotation.HttpTrigger;
import dev.iii.spring.annotation.QueueTrigger;
import dev.iii.spring.annotation.StateTrigger;
import dev.iii.spring.annotation.StreamTrigger;
import dev.iii.spring.annotation.Subscribe;
import dev.iii.spring.annotation.Trigger;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the trigger annotations of an {@code @IIIFunction} method ({@code @HttpTrigger},
 * {@code @CronTrigger}, {@code @Trigger}) into {@link TriggerDefinition}s, resolving placeholders
 * and checking each against what the engine accepts, so that mistakes fail at startup. Stateless
 * apart from its immutable collaborators.
 */
final class TriggerDefinitions {

  private static final List<String> HTTP_METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  /** Reads {@code @Trigger(config)}; independent of the application's mapper settings. */
  private static final JsonMapper CONFIG_READER = JsonMapper.builder().build();

  private final UnaryOperator<String> placeholders;

  TriggerDefinitions(UnaryOperator<String> placeholders) {
    this.placeholders = placeholders;
  }

  /**
   * The triggers a method's annotations declare, checked.
   *
   * @param source names the method in error messages
   * @throws IllegalStateException when an annotation is not valid
   */
  List<TriggerDefinition> of(String source, Method method) {
    List<TriggerDefinition> triggers = new ArrayList<>();
    for (HttpTrigger http :
        AnnotatedElementUtils.findMergedRepeatableAnnotations(method, HttpTrigger.class)) {
      String path = enginePath(resolve(http.path()));
      String httpMethod = resolve(http.method()).toUpperCase(Locale.ROOT);
      if (!HTTP_METHODS.contains(httpMethod)) {
        throw invalid(
            source, "@HttpTrigger method '" + http.method() + "' is not one of " + HTTP_METHODS);
      }
      if (path.isBlank()) {
        throw invalid(source, "@HttpTrigger path is empty");
      }
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("api_path", path);
      config.put("http_method", httpMethod);
      StringBuilder summary = new StringBuilder("http " + httpMethod + " " + path);
      String condition = condition(config, summary, http.condition());
      List<String> middleware = new ArrayList<>();
      for (String functionId : http.middleware()) {
        String resolved = resolve(functionId);
        if (resolved.isBlank()) {
          throw invalid(source, "@HttpTrigger(path = \"" + path + "\") has an empty middleware id");
        }
        middleware.add(resolved);
      }
      if (!middleware.isEmpty()) {
        config.put("middleware_function_ids", List.copyOf(middleware));
        summary.append(condition == null ? " " : ", ").append("middleware ").append(middleware);
      }
      triggers.add(new TriggerDefinition("http", config, summary.toString()));
    }
    CronTrigger cron = AnnotatedElementUtils.findMergedAnnotation(method, CronTrigger.class);
    if (cron != null) {
      String expression = resolve(cron.value());
      if (expression.isBlank()) {
        throw invalid(source, "@CronTrigger expression is empty");
      }
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("expression", expression);
      StringBuilder summary = new StringBuilder("cron " + expression);
      condition(config, summary, cron.condition());
      triggers.add(new TriggerDefinition("cron", config, summary.toString()));
    }
    moduleTriggers(source, method, triggers);
    for (Trigger trigger :
        AnnotatedElementUtils.findMergedRepeatableAnnotations(method, Trigger.class)) {
      String type = resolve(trigger.type());
      if (type.isBlank()) {
        throw invalid(source, "@Trigger type is empty");
      }
      String config = resolve(trigger.config());
      Map<String, Object> parsed;
      try {
        parsed =
            CONFIG_READER.readValue(config, new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (RuntimeException e) {
        throw invalid(
            source, "@Trigger(type = \"" + type + "\") config is not a JSON object: " + config);
      }
      if (parsed == null) {
        throw invalid(
            source, "@Trigger(type = \"" + type + "\") config is not a JSON object: " + config);
      }
      triggers.add(new TriggerDefinition(type, parsed, type + " " + config));
    }
    return triggers;
  }

  /**
   * The path in the engine's syntax: Spring's {@code {id}} segments become {@code :id}, which the
   * engine extracts into {@code path_params} (it routes {@code {id}} but yields no parameter).
   */
  static String enginePath(String path) {
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")) {
        segments[i] = ":" + segment.substring(1, segment.length() - 1);
      }
    }
    return String.join("/", segments);
  }

  /** Adds a trigger's {@code condition_function_id}, if the annotation names one. */
  private @Nullable String condition(
      Map<String, Object> config, StringBuilder summary, String annotated) {
    String condition = resolve(annotated);
    if (condition.isBlank()) {
      return null;
    }
    config.put("condition_function_id", condition);
    summary.append(" if ").append(condition);
    return condition;
  }

  /** The triggers of the engine's pub/sub, state, stream and queue workers. */
  private void moduleTriggers(String source, Method method, List<TriggerDefinition> triggers) {
    Subscribe subscribe = AnnotatedElementUtils.findMergedAnnotation(method, Subscribe.class);
    if (subscribe != null) {
      String topic = required(source, "@Subscribe topic", subscribe.value());
      triggers.add(
          new TriggerDefinition("subscribe", Map.of("topic", topic), "subscribe " + topic));
    }
    StateTrigger state = AnnotatedElementUtils.findMergedAnnotation(method, StateTrigger.class);
    if (state != null) {
      Map<String, Object> config = new LinkedHashMap<>();
      StringBuilder summary = new StringBuilder("state");
      optional(config, summary, "scope", state.scope());
      optional(config, summary, "key", state.key());
      condition(config, summary, state.condition());
      triggers.add(new TriggerDefinition("state", config, summary.toString()));
    }
    StreamTrigger stream = AnnotatedElementUtils.findMergedAnnotation(method, StreamTrigger.class);
    if (stream != null) {
      Map<String, Object> config = new LinkedHashMap<>();
      String name = required(source, "@StreamTrigger stream", stream.value());
      config.put("stream_name", name);
      StringBuilder summary = new StringBuilder("stream " + name);
      optional(config, summary, "group_id", stream.group());
      optional(config, summary, "item_id", stream.item());
      condition(config, summary, stream.condition());
      triggers.add(new TriggerDefinition("stream", config, summary.toString()));
    }
    QueueTrigger queue = AnnotatedElementUtils.findMergedAnnotation(method, QueueTrigger.class);
    if (queue != null) {
      String topic = required(source, "@QueueTrigger topic", queue.topic());
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("topic", topic);
      Map<String, Object> queueConfig = new LinkedHashMap<>();
      if (queue.maxRetries() >= 0) {
        queueConfig.put("maxRetries", queue.maxRetries());
      }
      if (queue.backoffMs() >= 0) {
        queueConfig.put("backoffDelayMs", queue.backoffMs());
      }
      if (queue.concurrency() > 0) {
        queueConfig.put("concurrency", queue.concurrency());
      } else if (queue.concurrency() == 0) {
        throw invalid(source, "@QueueTrigger concurrency must be at least 1");
      }
      if (!queueConfig.isEmpty()) {
        config.put("queue_config", queueConfig);
      }
      StringBuilder summary = new StringBuilder("durable:subscriber " + topic);
      condition(config, summary, queue.condition());
      triggers.add(new TriggerDefinition("durable:subscriber", config, summary.toString()));
    }
  }

  private String required(String source, String what, String value) {
    String resolved = resolve(value);
    if (resolved.isBlank()) {
      throw invalid(source, what + " is empty");
    }
    return resolved;
  }

  private void optional(
      Map<String, Object> config, StringBuilder summary, String key, String annotated) {
    String value = resolve(annotated);
    if (!value.isBlank()) {
      config.put(key, value);
      summary.append(' ').append(key).append('=').append(value);
    }
  }

  /** The route paths of a method's HTTP triggers, in the engine's syntax. */
  List<String> httpPaths(Method method) {
    List<String> paths = new ArrayList<>();
    for (HttpTrigger http :
        AnnotatedElementUtils.findMergedRepeatableAnnotations(method, HttpTrigger.class)) {
      paths.add(enginePath(resolve(http.path())));
    }
    return paths;
  }

  private String resolve(String value) {
    String resolved = placeholders.apply(value);
    return resolved == null ? value : resolved;
  }

  private static IllegalStateException invalid(String source, String reason) {
    return FunctionEndpointFactory.invalid(source, reason);
  }
}
