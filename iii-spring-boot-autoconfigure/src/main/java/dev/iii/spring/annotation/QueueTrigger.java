package dev.iii.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls an {@link IIIFunction} with every message published to a durable topic (trigger type {@code
 * durable:subscriber} of the engine's queue worker; publish with {@code iii::durable::publish}).
 * Unlike {@link Subscribe}, each subscribed function gets its own queue: a failing call is retried
 * with backoff and dead-lettered after the last attempt. Attributes left at {@code -1} take the
 * engine's defaults.
 *
 * <p>Named queues need no trigger: a caller enqueues a call to any function with {@code
 * TriggerAction.enqueue("payments")}.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface QueueTrigger {

  /** The durable topic; {@code ${…}} placeholders are resolved. */
  String topic();

  /** Retries after the first failed attempt ({@code queue_config.maxRetries}). */
  int maxRetries() default -1;

  /** The first retry's delay in milliseconds, doubled at each retry ({@code backoffDelayMs}). */
  long backoffMs() default -1;

  /** How many messages this function handles at once ({@code queue_config.concurrency}). */
  int concurrency() default -1;

  /**
   * Id of a function the engine calls first with the message ({@code condition_function_id}); when
   * it returns {@code false} the function is not called. Empty: none.
   */
  String condition() default "";
}
