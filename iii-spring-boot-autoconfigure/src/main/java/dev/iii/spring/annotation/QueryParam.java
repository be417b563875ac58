package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Binds a parameter of an {@link HttpTrigger} function to a query parameter, converted to the
 * parameter's type. A missing required parameter, or a value that does not convert, is answered
 * 400. An {@code Optional} or {@code @Nullable} parameter is not required.
 *
 * <pre>{@code
 * @IIIFunction(id = "items::search")
 * @HttpTrigger(path = "/items")
 * List<Item> search(@QueryParam String q, @QueryParam(defaultValue = "20") int limit) { ... }
 * }</pre>
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface QueryParam {

  /** Alias for {@link #name()}. */
  @AliasFor("name")
  String value() default "";

  /** The query parameter's name; the Java parameter's name when empty. */
  @AliasFor("value")
  String name() default "";

  /** Whether a request without the parameter is refused with 400 (when there is no default). */
  boolean required() default true;

  /** The value used when the request has none; setting it makes the parameter optional. */
  String defaultValue() default IIIFunction.NO_DEFAULT;
}
