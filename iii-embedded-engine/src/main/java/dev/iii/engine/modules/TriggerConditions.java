package dev.iii.engine.modules;

import dev.iii.engine.registry.Trigger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Where http and cron triggers name the function that decides whether a fire goes ahead. */
public final class TriggerConditions {

  /** The config key of the official engine (since 0.9.0). */
  public static final String CONDITION_KEY = "condition_function_id";

  /** The 0.8.3 key this engine once read; real engines ignore it. */
  public static final String DEPRECATED_CONDITION_KEY = "_condition_path";

  private static final Logger log = LoggerFactory.getLogger(TriggerConditions.class);

  private TriggerConditions() {}

  /**
   * The trigger's condition function: {@code condition_function_id}, else the deprecated {@code
   * _condition_path} (with a warning naming the trigger, since a real engine would run it
   * unconditionally), else {@code null}.
   */
  public static @Nullable String conditionFunctionId(Trigger trigger) {
    JsonNode current = trigger.config().path(CONDITION_KEY);
    JsonNode deprecated = trigger.config().path(DEPRECATED_CONDITION_KEY);
    if (deprecated.isString()) {
      log.warn(
          "{} trigger {} for {} uses the deprecated config key {}: real iii engines (0.9.0 and"
              + " later) ignore it and run {} unconditionally; use {}{}",
          trigger.triggerType(),
          trigger.id(),
          trigger.functionId(),
          DEPRECATED_CONDITION_KEY,
          trigger.functionId(),
          CONDITION_KEY,
          current.isString() ? " (which this trigger also sets, and which wins)" : "");
    }
    if (current.isString()) {
      return current.asString();
    }
    return deprecated.isString() ? deprecated.asString() : null;
  }
}
