package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls an {@link IIIFunction} when a value of the engine's state changes (trigger type {@code
 * state}): created, updated or deleted by any worker. The payload is the engine's state event
 * ({@code event_type}, {@code scope}, {@code key}, {@code old_value}, {@code new_value}).
 *
 * <pre>{@code
 * @IIIFunction(id = "orders::onChange")
 * @StateTrigger(scope = "orders")
 * void onChange(JsonNode event) { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StateTrigger {

  /** Only changes in this scope; empty: every scope. {@code ${…}} placeholders are resolved. */
  String scope() default "";

  /** Only changes of this key; empty: every key. {@code ${…}} placeholders are resolved. */
  String key() default "";

  /**
   * Id of a function the engine calls first with the event ({@code condition_function_id}); when it
   * returns {@code false} the function is not called. Empty: none.
   */
  String condition() default "";
}
