package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds an {@link IIIFunction} to an HTTP route of the engine's REST API (trigger type {@code
 * http}). Repeatable: one function may serve several routes.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(HttpTriggers.class)
public @interface HttpTrigger {

  /** The route, e.g. {@code /orders/:id}; {@code ${…}} placeholders are resolved. */
  String path();

  /** The HTTP method: GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS. */
  String method() default "GET";

  /**
   * Ids of middleware functions the engine calls, in order, before the function ({@code
   * middleware_function_ids}); each gets the request and answers {@code {"action":"continue"}} or
   * {@code {"action":"respond","response":{…}}}. {@code ${…}} placeholders are resolved.
   */
  String[] middleware() default {};

  /**
   * Id of a function the engine calls first with the request ({@code condition_function_id}): when
   * it returns {@code false} the engine answers 422 {@code CONDITION_NOT_MET} and neither the
   * middleware nor the function runs. Empty: none. {@code ${…}} placeholders are resolved.
   */
  String condition() default "";
}
