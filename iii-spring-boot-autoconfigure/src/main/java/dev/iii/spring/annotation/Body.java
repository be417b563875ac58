package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter that takes the payload: the JSON request body of an {@link HttpTrigger} call,
 * the input of any other call. Without it, the one parameter that has no other binding takes the
 * payload; the annotation makes that explicit, and {@code required = false} lets an HTTP request
 * come without a body. Add {@code @Valid} (or {@code @Validated}) to check the payload with Bean
 * Validation: violations are answered 400, naming each field and its constraint's message.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Body {

  /** Whether an HTTP request without a body is refused with 400. */
  boolean required() default true;
}
