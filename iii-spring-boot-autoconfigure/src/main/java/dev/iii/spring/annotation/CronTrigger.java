package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls an {@link IIIFunction} on a schedule (trigger type {@code cron}). The expression has six or
 * seven fields, seconds first, and is evaluated in UTC: {@code "0 *}{@code /5 * * * *"} runs every
 * five minutes.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CronTrigger {

  /** The cron expression; {@code ${…}} placeholders are resolved. */
  String value();

  /**
   * Id of a function the engine calls at every tick ({@code condition_function_id}); when it
   * returns {@code false} the tick is skipped. Empty: none. {@code ${…}} placeholders are resolved.
   */
  String condition() default "";
}
