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
 * the application's Jackson mapper ({@link Body} makes that explicit). Other parameters may be
 * {@code ApiRequest<T>}, {@code Context}, {@code IIIClient}, {@code ChannelReader}, {@code
 * ChannelWriter}, or parts of an HTTP request: {@link PathParam}, {@link QueryParam}, {@link
 * Header}. The return value may be a value, {@code void}, {@code ApiResponse}, {@code Optional},
 * {@code CompletionStage} or {@code Mono}.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IIIFunction {

  /**
   * The default of {@link QueryParam#defaultValue()} and {@link Header#defaultValue()}: no default
   * (a character no one writes in an annotation).
   */
  String NO_DEFAULT = "\uE000iii:none\uE000";

  /** The function id, e.g. {@code orders::create}; {@code ${…}} placeholders are resolved. */
  String id();

  /** Shown in function listings. */
  String description() default "";

  /**
   * The JSON Schema of the function's input (its {@code request_format}), as JSON text; {@code
   * ${…}} placeholders are resolved. Empty (the default): generated from the payload parameter's
   * type, see {@link #generateSchemas()}.
   */
  String requestFormat() default "";

  /**
   * The JSON Schema of the function's result (its {@code response_format}), as JSON text; {@code
   * ${…}} placeholders are resolved. Empty (the default): generated from the return type, see
   * {@link #generateSchemas()}.
   */
  String responseFormat() default "";

  /**
   * Whether the formats not given above are generated: {@code request_format} from the payload
   * parameter's generic type, {@code response_format} from the generic return type ({@code
   * CompletionStage}, {@code Mono} and {@code Optional} unwrapped; none for {@code void}, {@code
   * ApiResponse}, {@code Object} or {@code JsonNode}). The engine shows them in {@code
   * engine::functions::info}. {@code iii.worker.schemas.enabled=false} turns generation off for
   * every function.
   */
  boolean generateSchemas() default true;

  /**
   * How many invocations of this function run at once; each function has its own limit and queue,
   * so a slow function never delays the others. 0 (the default): {@code
   * iii.worker.max-concurrency}. The property {@code iii.worker.functions[<id>].concurrency}
   * overrides it.
   */
  int concurrency() default 0;

  /**
   * How many more invocations of this function may wait for a free slot; beyond that callers are
   * answered {@code unavailable} at once. -1 (the default): {@code iii.worker.max-queued}. The
   * property {@code iii.worker.functions[<id>].queue-capacity} overrides it.
   */
  int queueCapacity() default -1;
}
