package dev.iii.spring.worker;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A function or trigger of an {@code @IIIFunction} method that the engine refused (a route
 * conflict, a bad cron expression, a trigger type's provider saying no…).
 *
 * @param functionId the function's id
 * @param source the method, as {@code Bean#method}
 * @param trigger the refused trigger; {@code null} when the function itself was refused
 * @param code the engine's error code, e.g. {@code trigger_registration_failed}
 * @param message the engine's reason
 */
public record RefusedRegistration(
    String functionId,
    String source,
    @Nullable TriggerDefinition trigger,
    String code,
    String message) {

  /** Checks the required parts. */
  public RefusedRegistration {
    Objects.requireNonNull(functionId, "functionId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /**
   * {@code trigger http GET /orders/:id (config {…}) of orders::get (Orders#get):
   * trigger_registration_failed: Route conflicts…}.
   */
  public String describe() {
    String what =
        trigger == null
            ? "function " + functionId
            : "trigger "
                + trigger.summary()
                + " (type "
                + trigger.type()
                + ", config "
                + trigger.config()
                + ") of "
                + functionId;
    return what + " (" + source + "): " + code + ": " + message;
  }
}
