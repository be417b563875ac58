package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The optional {@code action} of an {@code invokefunction} (engine 0.9+): {@code {"type":"void"}}
 * asks the engine never to reply, {@code {"type":"enqueue","queue":"q"}} to queue the call.
 *
 * @param type {@code void} or {@code enqueue}
 * @param queue the queue name for {@code enqueue}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvocationAction(
    @JsonProperty(value = "type", required = true) String type,
    @JsonProperty("queue") @Nullable String queue) {

  /** The action that suppresses any reply. */
  public static final InvocationAction VOID = new InvocationAction("void", null);

  /** The action that puts the call on a queue; the engine answers with a message receipt id. */
  public static InvocationAction enqueue(String queue) {
    java.util.Objects.requireNonNull(queue, "queue");
    return new InvocationAction("enqueue", queue);
  }

  /** Whether this is the {@code void} action. */
  @JsonIgnore
  public boolean isVoid() {
    return "void".equals(type);
  }
}
