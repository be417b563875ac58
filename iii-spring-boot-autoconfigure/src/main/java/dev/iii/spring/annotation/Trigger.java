package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds an {@link IIIFunction} to a trigger of any type, including custom types provided by other
 * workers. Repeatable.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(Triggers.class)
public @interface Trigger {

  /** The trigger type id. */
  String type();

  /** The trigger's configuration as a JSON object, e.g. {@code {"topic":"orders"}}. */
  String config() default "{}";
}
