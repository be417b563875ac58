package dev.iii;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link IIIClient#trigger(TriggerRequest)} routes a call, as the official SDKs' {@code
 * TriggerAction}: {@link #VOID} sends it without waiting for anything; {@link #enqueue(String)}
 * puts it on a named queue, and the engine answers with an {@link EnqueueResult} at once. Without
 * an action the call waits for the function's result.
 *
 * @param type {@code void} or {@code enqueue}
 * @param queue the queue of {@code enqueue}; {@code null} for {@code void}
 */
public record TriggerAction(String type, @Nullable String queue) {

  /**
   * Fire-and-forget: the engine forwards the call and nobody answers (the SDKs' {@code Void()}).
   */
  public static final TriggerAction VOID = new TriggerAction("void", null);

  /** Checks that {@code type} is known and that {@code enqueue} names its queue. */
  public TriggerAction {
    Objects.requireNonNull(type, "type");
    if (type.equals("enqueue")) {
      if (queue == null || queue.isBlank()) {
        throw new IllegalArgumentException("an enqueue action needs a queue name");
      }
    } else if (type.equals("void")) {
      if (queue != null) {
        throw new IllegalArgumentException("a void action has no queue");
      }
    } else {
      throw new IllegalArgumentException("unknown trigger action: " + type);
    }
  }

  /**
   * Routes the call through the named queue (the SDKs' {@code Enqueue({queue})}): the engine queues
   * it and answers with an {@link EnqueueResult}; the function runs later. Needs a queue provider
   * on the engine; without one the call fails with code {@code enqueue_error}.
   */
  public static TriggerAction enqueue(String queue) {
    return new TriggerAction("enqueue", queue);
  }
}
