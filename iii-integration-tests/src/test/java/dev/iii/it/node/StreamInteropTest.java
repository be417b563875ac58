package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitInvoked;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.SDK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.it.node.Interop.Fixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official Node SDK 0.22.1 using the {@code iii-stream} module of our engine: {@code stream::*}
 * calls with the official result shapes ({@code engine/src/workers/stream/stream.rs}), a client of
 * the stream WebSocket seeing the changes the SDK makes, and a Node {@code stream} trigger fired by
 * a Java {@code stream::set}.
 */
class StreamInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("stream");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  /** A stream WebSocket client (the JDK's) that keeps every message it receives, in order. */
  private static final class Subscriber implements WebSocket.Listener, AutoCloseable {
    private final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    Subscriber(int port) {
      socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), this)
              .join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(JSON.readTree(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    void join(String stream, String group) {
      socket
          .sendText(
              "{\"type\":\"join\",\"data\":{\"subscriptionId\":\"s1\",\"streamName\":\""
                  + stream
                  + "\",\"groupId\":\""
                  + group
                  + "\"}}",
              true)
          .join();
    }

    JsonNode next() throws InterruptedException {
      JsonNode message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(message).as("a stream message within %s", WAIT).isNotNull();
      return message;
    }

    @Override
    public void close() {
      socket.abort();
    }
  }

  private static Map<String, Object> at(String stream, String group, String item) {
    return Map.of("stream_name", stream, "group_id", group, "item_id", item);
  }

  @Test
  void theNodeSdkSetsUpdatesAndListsAndASubscriberSeesEachChange() throws Exception {
    Fixture f = fixtures.get(SDK);
    String stream = uniqueId("todos");
    try (Subscriber subscriber = new Subscriber(f.engine().streamPort())) {
      subscriber.join(stream, "inbox");
      assertThat(subscriber.next().path("event"))
          .isEqualTo(JSON.readTree("{\"type\":\"sync\",\"data\":[]}"));

      Map<String, Object> set =
          Map.of(
              "stream_name",
              stream,
              "group_id",
              "inbox",
              "item_id",
              "t1",
              "data",
              Map.of("title", "write docs", "done", false));
      assertThat(f.node().result("call", Map.of("function_id", "stream::set", "data", set)))
          .isEqualTo(
              JSON.readTree(
                  "{\"old_value\":null,\"new_value\":{\"title\":\"write docs\",\"done\":false}}"));

      Map<String, Object> update =
          Map.of(
              "stream_name",
              stream,
              "group_id",
              "inbox",
              "item_id",
              "t1",
              "ops",
              List.of(Map.of("type", "set", "path", "done", "value", true)));
      JsonNode updated =
          f.node().result("call", Map.of("function_id", "stream::update", "data", update));
      assertThat(updated.path("old_value").path("done").asBoolean()).isFalse();
      assertThat(updated.path("new_value"))
          .isEqualTo(JSON.readTree("{\"title\":\"write docs\",\"done\":true}"));

      assertThat(
              f.node()
                  .result(
                      "call",
                      Map.of(
                          "function_id",
                          "stream::list",
                          "data",
                          Map.of("stream_name", stream, "group_id", "inbox"))))
          .isEqualTo(JSON.readTree("[{\"title\":\"write docs\",\"done\":true}]"));
      assertThat(
              f.node()
                  .result(
                      "call",
                      Map.of(
                          "function_id",
                          "stream::list_groups",
                          "data",
                          Map.of("stream_name", stream))))
          .isEqualTo(JSON.readTree("[\"inbox\"]"));
      assertThat(
              f.node()
                  .result(
                      "call",
                      Map.of("function_id", "stream::get", "data", at(stream, "inbox", "t1"))))
          .isEqualTo(JSON.readTree("{\"title\":\"write docs\",\"done\":true}"));
      f.node()
          .result(
              "call", Map.of("function_id", "stream::delete", "data", at(stream, "inbox", "t1")));

      JsonNode created = subscriber.next();
      assertThat(created.path("streamName").asString()).isEqualTo(stream);
      assertThat(created.path("id").asString()).isEqualTo("t1");
      assertThat(created.path("event").path("type").asString()).isEqualTo("create");
      JsonNode changed = subscriber.next();
      assertThat(changed.path("event"))
          .isEqualTo(
              JSON.readTree(
                  "{\"type\":\"update\",\"data\":{\"title\":\"write docs\",\"done\":true}}"));
      assertThat(subscriber.next().path("event").path("type").asString()).isEqualTo("delete");
    }
  }

  @Test
  void aJavaStreamSetFiresANodeStreamTrigger() {
    Fixture f = fixtures.get(SDK);
    String stream = uniqueId("orders");
    String fn = uniqueId("node::onOrder");
    f.node().result("register", Map.of("id", fn, "behavior", "echo"));
    f.node()
        .result(
            "registerTrigger",
            Map.of("type", "stream", "function_id", fn, "config", Map.of("stream_name", stream)));

    // The Node registration travels on its own connection: wait until the engine has it.
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                String.valueOf(get(f.java().call("engine::registered-triggers::list", Map.of())))
                    .contains(fn));
    Object result =
        get(
            f.java()
                .call(
                    "stream::set",
                    Map.of(
                        "stream_name",
                        stream,
                        "group_id",
                        "eu",
                        "item_id",
                        "o1",
                        "data",
                        Map.of("total", 42))));
    assertThat(result).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> answer = (Map<String, Object>) result;
    assertThat(answer).containsKey("old_value").containsEntry("new_value", Map.of("total", 42));
    assertThat(answer.get("old_value")).isNull();

    JsonNode event = awaitInvoked(f.node(), fn).path("data");
    assertThat(event.path("type").asString()).isEqualTo("stream");
    assertThat(event.path("streamName").asString()).isEqualTo(stream);
    assertThat(event.path("groupId").asString()).isEqualTo("eu");
    assertThat(event.path("id").asString()).isEqualTo("o1");
    assertThat(event.path("event").path("type").asString()).isEqualTo("create");
    assertThat(event.path("event").path("data").path("total").asInt()).isEqualTo(42);
  }

  @Test
  void aNodeCustomStreamAnswersTheJavaTypedHelper() throws Exception {
    Fixture f = fixtures.get(SDK);
    String stream = uniqueId("custom");
    f.node().result("createStream", Map.of("name", stream));
    Interop.awaitJavaSees(f.java(), "stream::set(" + stream + ")", "stream::get(" + stream + ")");
    dev.iii.stream.Streams streams = f.java().streams();

    try (Subscriber subscriber = new Subscriber(f.engine().streamPort())) {
      subscriber.join(stream, "g");
      assertThat(subscriber.next().path("event").path("type").asString()).isEqualTo("sync");

      dev.iii.stream.Streams.Change<Map> created =
          get(streams.set(stream, "g", "i1", (Map) Map.of("kept", "in node")));
      assertThat(created.oldValue()).isNull();
      assertThat(get(streams.get(stream, "g", "i1", Map.class)))
          .isEqualTo(Map.of("kept", "in node"));
      assertThat(get(streams.list(stream, "g", Map.class)))
          .containsExactly(Map.of("kept", "in node"));
      assertThat(get(streams.listGroups(stream))).containsExactly("g");
      // The engine's own store never saw it.
      assertThat(String.valueOf(get(f.java().call("stream::list_all", Map.of()))))
          .doesNotContain(stream);

      JsonNode event = subscriber.next();
      assertThat(event.path("event"))
          .isEqualTo(JSON.readTree("{\"type\":\"create\",\"data\":{\"kept\":\"in node\"}}"));
    }
  }
}
