package dev.iii;

import static dev.iii.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.FakeEngine.Conn;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link TriggerAction}: calls routed through a queue ({@code enqueue}) or fire-and-forget. */
class EnqueueTest extends ClientTestSupport {

  @Test
  void anEnqueuedCallCompletesWithTheEnginesReceipt() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    CompletableFuture<EnqueueResult> receipt =
        client.trigger(
            TriggerRequest.of("payments::charge", Map.of("amount", 5))
                .withAction(TriggerAction.enqueue("payments")),
            EnqueueResult.class);

    JsonNode frame = conn.awaitFrame("invokefunction", "function_id", "payments::charge");
    assertThat(frame.get("action")).isEqualTo(json("{'type':'enqueue','queue':'payments'}"));
    assertThat(frame.get("data")).isEqualTo(json("{'amount':5}"));
    // As v0.22.1 answers once the queue provider took it (engine/mod.rs, TriggerAction::Enqueue).
    ObjectNode reply = result(frame);
    reply.set("result", json("{'messageReceiptId':'r-42'}"));
    conn.send(reply);
    assertThat(receipt).succeedsWithin(WAIT).isEqualTo(new EnqueueResult("r-42"));
  }

  @Test
  void anEnqueueTheEngineCannotQueueFailsWithEnqueueError() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    CompletableFuture<EnqueueResult> receipt =
        client.trigger(
            TriggerRequest.of("payments::charge", null).withAction(TriggerAction.enqueue("q")),
            EnqueueResult.class);

    JsonNode frame = conn.awaitFrame("invokefunction", "function_id", "payments::charge");
    ObjectNode reply = result(frame);
    reply
        .putObject("error")
        .put("code", "enqueue_error")
        .put("message", "No queue provider is installed.");
    conn.send(reply);
    IIIException error = failure(receipt);
    assertThat(error.code()).isEqualTo(IIIException.ENQUEUE_ERROR);
    assertThat(error.errorMessage()).isEqualTo("No queue provider is installed.");
    assertThat(error.functionId()).isEqualTo("payments::charge");
  }

  @Test
  void aVoidCallIsSentWithoutInvocationIdAndCompletesAtOnce() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    CompletableFuture<Object> sent =
        client.trigger(
            TriggerRequest.of("notify::send", Map.of("to", "a"))
                .withAction(TriggerAction.VOID)
                .withMetadata(Map.of("k", "v")));

    assertThat(sent).succeedsWithin(WAIT).isNull();
    assertThat(conn.awaitFrame("invokefunction", "function_id", "notify::send"))
        .isEqualTo(
            json(
                "{'type':'invokefunction','function_id':'notify::send','data':{'to':'a'},"
                    + "'metadata':{'k':'v'}}"));
  }

  @Test
  void aVoidCallAfterShutdownFailsItsFuture() {
    III client = connect(client());
    assertThat(client.shutdown()).succeedsWithin(WAIT);

    CompletableFuture<Object> sent =
        client.trigger(TriggerRequest.of("notify::send", null).withAction(TriggerAction.VOID));

    assertThat(failure(sent).code()).isEqualTo(IIIException.SHUTDOWN);
  }

  @Test
  void actionsAreChecked() {
    assertThatThrownBy(() -> TriggerAction.enqueue(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TriggerAction("later", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TriggerRequest.of("", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ObjectNode result(JsonNode invoke) {
    ObjectNode reply = FakeEngine.JSON.createObjectNode();
    reply.put("type", "invocationresult");
    reply.set("invocation_id", invoke.get("invocation_id"));
    reply.set("function_id", invoke.get("function_id"));
    return reply;
  }
}
