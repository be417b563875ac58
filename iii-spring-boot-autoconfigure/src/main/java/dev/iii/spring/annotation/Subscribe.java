package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls an {@link IIIFunction} with every event published to a topic (trigger type {@code
 * subscribe} of the engine's pub/sub worker): the method's payload is the published {@code data}.
 * Delivery is at most once and not retried; for retries and dead letters use {@link QueueTrigger}.
 *
 * <pre>{@code
 * @IIIFunction(id = "audit::orderPlaced")
 * @Subscribe("orders.placed")
 * void orderPlaced(OrderPlaced event) { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Subscribe {

  /** The topic; {@code ${…}} placeholders are resolved. */
  String value();
}
