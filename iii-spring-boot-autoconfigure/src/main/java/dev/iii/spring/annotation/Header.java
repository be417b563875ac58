package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Binds a parameter of an {@link HttpTrigger} function to a request header (names are matched
 * without regard to case), converted to the parameter's type. A missing required header, or a value
 * that does not convert, is answered 400. An {@code Optional} or {@code @Nullable} parameter is not
 * required.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Header {

  /** Alias for {@link #name()}. */
  @AliasFor("name")
  String value() default "";

  /** The header's name, e.g. {@code X-Request-Id}; the Java parameter's name when empty. */
  @AliasFor("value")
  String name() default "";

  /** Whether a request without the header is refused with 400 (when there is no default). */
  boolean required() default true;

  /** The value used when the request has none; setting it makes the header optional. */
  String defaultValue() default IIIFunction.NO_DEFAULT;
}
