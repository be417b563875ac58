package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls an {@link IIIFunction} when an item of a stream changes (trigger type {@code stream}):
 * created, updated or deleted through {@code stream::set/update/delete}. The payload is the
 * engine's stream change event.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StreamTrigger {

  /** The stream's name; {@code ${…}} placeholders are resolved. */
  String value();

  /** Only changes in this group; empty: every group. */
  String group() default "";

  /** Only changes of this item; empty: every item. */
  String item() default "";

  /**
   * Id of a function the engine calls first with the event ({@code condition_function_id}); when it
   * returns {@code false} the function is not called. Empty: none.
   */
  String condition() default "";
}
