package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.UpdateOp;
import dev.iii.stream.Streams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link Streams}, the typed stream helper of iii-core, against the embedded engine. */
class StreamsClientTest extends EngineTestSupport {

  /** A stream item. */
  public record Todo(String title, boolean done, int votes) {}

  @Test
  void setGetUpdateListAndDeleteAreTyped() throws Exception {
    III iii = connected("streams-client");
    Streams streams = iii.streams();

    Streams.Change<Todo> created =
        get(streams.set("todos", "inbox", "t1", new Todo("write docs", false, 0)));
    assertThat(created.oldValue()).isNull();
    assertThat(created.newValue()).isEqualTo(new Todo("write docs", false, 0));
    get(streams.set("todos", "inbox", "t2", new Todo("ship", false, 1)));

    assertThat(get(streams.get("todos", "inbox", "t1", Todo.class)))
        .isEqualTo(new Todo("write docs", false, 0));
    assertThat(get(streams.get("todos", "inbox", "missing", Todo.class))).isNull();

    Streams.Change<Todo> updated =
        get(
            streams.update(
                "todos", "inbox", "t1", List.of(UpdateOp.set("done", true)), Todo.class));
    assertThat(updated.oldValue()).isEqualTo(new Todo("write docs", false, 0));
    assertThat(updated.newValue()).isEqualTo(new Todo("write docs", true, 0));
    assertThat(updated.errors()).isEmpty();

    assertThat(get(streams.list("todos", "inbox", Todo.class)))
        .containsExactly(new Todo("write docs", true, 0), new Todo("ship", false, 1));
    assertThat(get(streams.listGroups("todos"))).containsExactly("inbox");

    assertThat(get(streams.delete("todos", "inbox", "t2", Todo.class)))
        .isEqualTo(new Todo("ship", false, 1));
    assertThat(get(streams.delete("todos", "inbox", "t2", Todo.class))).isNull();
    assertThat(get(streams.list("todos", "inbox", Todo.class))).hasSize(1);
  }

  @Test
  void sendReachesAStreamTriggerWithTheCustomEvent() throws Exception {
    III iii = connected("streams-trigger");
    List<Object> seen = new CopyOnWriteArrayList<>();
    iii.registerFunction(
        "streams::on-event",
        input -> {
          seen.add(input);
          return null;
        });
    iii.registerTrigger(
        "stream", "streams::on-event", Map.of("stream_name", "presence", "group_id", "room"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                String.valueOf(get(iii.call("engine::registered-triggers::list", Map.of())))
                    .contains("streams::on-event"));

    get(iii.streams().send("presence", "lobby", null, "typing", Map.of("who", "bob")));
    get(iii.streams().send("presence", "room", null, "typing", Map.of("who", "ann")));

    await().atMost(WAIT).until(() -> !seen.isEmpty());
    @SuppressWarnings("unchecked")
    Map<String, Object> event = (Map<String, Object>) seen.get(0);
    assertThat(event).containsEntry("groupId", "room");
    assertThat(event.get("event"))
        .isEqualTo(
            Map.of(
                "type", "event", "event", Map.of("type", "typing", "data", Map.of("who", "ann"))));
    assertThat(seen).hasSize(1);
  }
}
