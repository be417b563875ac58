package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean method an iii function: registered with the engine when the application starts,
 * unregistered when it stops, and callable by any worker.
 *
 * <pre>{@code
 * @IIIFunction(id = "orders::create", description = "Create an order")
 * @HttpTrigger(path = "/orders", method = "POST")
 * OrderCreated create(CreateOrder order) { ... }
 * }</pre>
 *
 * <p>The payload (or, for HTTP, the request body) is converted to the method's parameter type by
 * the application's Jackson mapper. Other parameters may be {@code ApiRequest<T>}, {@code Context},
 * {@code IIIClient}, {@code ChannelReader} or {@code ChannelWriter}. The return value may be a
 * value, {@code void}, {@code ApiResponse}, {@code Optional}, {@code CompletionStage} or {@code
 * Mono}.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IIIFunction {

  /** The function id, e.g. {@code orders::create}; {@code ${…}} placeholders are resolved. */
  String id();

  /** Shown in function listings. */
  String description() default "";
}
