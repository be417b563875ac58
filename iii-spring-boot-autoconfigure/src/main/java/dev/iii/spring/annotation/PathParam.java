package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Binds a parameter of an {@link HttpTrigger} function to a path parameter: {@code id} of {@code
 * /items/{id}} (or {@code /items/:id}), converted to the parameter's type ({@code String}, numbers,
 * {@code UUID}, enums, …). Every route of the method must declare the parameter, else the
 * application fails to start. A value that does not convert is answered 400.
 *
 * <pre>{@code
 * @IIIFunction(id = "items::get")
 * @HttpTrigger(path = "/items/{id}")
 * Item get(@PathParam long id) { ... }
 * }</pre>
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PathParam {

  /** Alias for {@link #name()}. */
  @AliasFor("name")
  String value() default "";

  /** The path parameter's name; the Java parameter's name when empty. */
  @AliasFor("value")
  String name() default "";
}
