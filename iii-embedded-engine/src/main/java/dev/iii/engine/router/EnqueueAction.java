package dev.iii.engine.router;

import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.Worker;
import dev.iii.protocol.InvocationAction;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.RawJson;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code TriggerAction.Enqueue}, as the official engine routes it ({@code engine/mod.rs}): the
 * engine makes the receipt id, hands the call to the queue provider function {@value
 * #PROVIDER_FUNCTION} (the queue module registers it; a worker may too), and answers the caller
 * {@code {"messageReceiptId"}} once the provider accepted it, or {@code enqueue_error}.
 *
 * <p>Concurrency: stateless.
 */
final class EnqueueAction {

  /** The provider the official engine calls for an enqueue. */
  static final String PROVIDER_FUNCTION = "engine::queue::enqueue";

  private static final Logger log = LoggerFactory.getLogger(EnqueueAction.class);

  private EnqueueAction() {}

  static void route(
      InvocationRouter invocations,
      Worker caller,
      InvokeFunction invoke,
      String invocationId,
      boolean reply) {
    InvocationAction action = invoke.action();
    String named = action == null ? null : action.queue();
    String queue = Objects.requireNonNullElse(named, "");
    String receipt = UUID.randomUUID().toString();
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.put("queue", queue);
    request.put("function_id", invoke.functionId());
    request.set("data", invoke.data().toTree());
    request.put("messageReceiptId", receipt);
    request.put("traceparent", invoke.traceparent());
    request.put("baggage", invoke.baggage());
    invocations
        .call(PROVIDER_FUNCTION, request)
        .whenComplete(
            (ignored, failure) -> {
              if (failure == null) {
                if (reply) {
                  ObjectNode result = JsonNodeFactory.instance.objectNode();
                  result.put("messageReceiptId", receipt);
                  caller.send(
                      InvocationResult.success(
                          invocationId, invoke.functionId(), RawJson.of(result)));
                }
                return;
              }
              InvocationError error = InvocationError.of(failure);
              String message =
                  "function_not_found".equals(error.body().code())
                      ? "No queue provider is installed. `TriggerAction::Enqueue` routes through"
                          + " the `"
                          + PROVIDER_FUNCTION
                          + "` provider, which the standalone queue worker registers. Add it with"
                          + " `iii worker add queue`. (underlying: "
                          + error.body().message()
                          + ")"
                      : error.body().code() + ": " + error.body().message();
              log.warn("Enqueue of {} on queue {} failed: {}", invoke.functionId(), queue, message);
              if (reply) {
                caller.send(
                    InvocationResult.failure(
                        invocationId,
                        invoke.functionId(),
                        new InvocationError("enqueue_error", message).body()));
              }
            });
  }
}
