package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.StreamConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@code iii-stream} module: its functions, its WebSocket and its triggers. */
class StreamModuleTest extends EngineTestSupport {

  private String streamUrl() {
    return "ws://127.0.0.1:" + engine.streamPort() + "/";
  }

  private static String item(String stream, String group, String item) {
    return json("{'stream_name':'%s','group_id':'%s','item_id':'%s'}")
        .formatted(stream, group, item);
  }

  private static String setInput(String stream, String group, String item, String data) {
    return json("{'stream_name':'%s','group_id':'%s','item_id':'%s','data':%s}")
        .formatted(stream, group, item, data);
  }

  @Test
  void setGetDeleteAnswerWithTheOfficialShapes() {
    RawWorker worker = connect();

    assertThat(worker.callResult("stream::set", setInput("s", "g", "a", "{\"n\":1}")))
        .isEqualTo(parse("{\"old_value\":null,\"new_value\":{\"n\":1}}"));
    assertThat(worker.callResult("stream::set", setInput("s", "g", "a", "{\"n\":2}")))
        .isEqualTo(parse("{\"old_value\":{\"n\":1},\"new_value\":{\"n\":2}}"));
    assertThat(worker.callResult("stream::get", item("s", "g", "a"))).isEqualTo(parse("{\"n\":2}"));
    JsonNode missing = worker.callResult("stream::get", item("s", "g", "nope"));
    assertThat(missing.isNull() || missing.isMissingNode()).as("%s", missing).isTrue();

    assertThat(worker.callResult("stream::delete", item("s", "g", "a")))
        .isEqualTo(parse("{\"old_value\":{\"n\":2}}"));
    assertThat(worker.callResult("stream::delete", item("s", "g", "a")))
        .isEqualTo(parse("{\"old_value\":null}"));
  }

  @Test
  void listsKeepInsertionOrderAndListAllSortsStreamsAndGroups() {
    RawWorker worker = connect();
    worker.callResult("stream::set", setInput("zeta", "g2", "b", "2"));
    worker.callResult("stream::set", setInput("zeta", "g2", "a", "1"));
    worker.callResult("stream::set", setInput("zeta", "g1", "x", "3"));
    worker.callResult("stream::set", setInput("alpha", "only", "x", "4"));

    assertThat(worker.callResult("stream::list", json("{'stream_name':'zeta','group_id':'g2'}")))
        .isEqualTo(parse("[2,1]"));
    assertThat(worker.callResult("stream::list", json("{'stream_name':'zeta','group_id':'none'}")))
        .isEqualTo(parse("[]"));
    List<String> groups = new java.util.ArrayList<>();
    worker
        .callResult("stream::list_groups", json("{'stream_name':'zeta'}"))
        .forEach(g -> groups.add(g.asString()));
    assertThat(groups).containsExactlyInAnyOrder("g1", "g2");
    assertThat(worker.callResult("stream::list_all", "{}"))
        .isEqualTo(
            parse(
                json(
                    "{'stream':[{'id':'alpha','groups':['only']},{'id':'zeta','groups':['g1','g2']}],"
                        + "'count':2}")));
  }

  @Test
  void badInputFailsWithTheOfficialDeserializationError() {
    RawWorker worker = connect();

    JsonNode error =
        worker
            .call("stream::set", json("{'stream_name':'s','group_id':'g','item_id':'i'}"))
            .path("error");
    assertThat(error.path("code").asString()).isEqualTo("deserialization_error");
    assertThat(error.path("message").asString())
        .isEqualTo("Failed to deserialize input for stream::set: missing field `data`");

    JsonNode badOp =
        worker
            .call(
                "stream::update",
                json("{'stream_name':'s','group_id':'g','item_id':'i','ops':[{'type':'bogus'}]}"))
            .path("error");
    assertThat(badOp.path("code").asString()).isEqualTo("deserialization_error");
    assertThat(badOp.path("message").asString()).contains("unknown variant `bogus`");
  }

  @Test
  void updateCreatesThenUpdatesAndReportsOldAndNewValues() {
    RawWorker worker = connect();
    String ops = json("[{'type':'set','path':'','value':{'count':1}}]");

    assertThat(
            worker.callResult(
                "stream::update",
                json("{'stream_name':'s','group_id':'g','item_id':'i','ops':%s}").formatted(ops)))
        .isEqualTo(parse("{\"old_value\":null,\"new_value\":{\"count\":1}}"));
    assertThat(
            worker.callResult(
                "stream::update",
                json(
                    "{'stream_name':'s','group_id':'g','item_id':'i','ops':[{'type':'set','path':'x','value':2}]}")))
        .isEqualTo(parse("{\"old_value\":{\"count\":1},\"new_value\":{\"count\":1,\"x\":2}}"));
  }

  @Test
  void aGroupSubscriberGetsASyncThenCreateUpdateDeleteAndCustomEventsInOrder() {
    RawWorker worker = connect();
    worker.callResult("stream::set", setInput("chat", "room", "m0", "{\"t\":\"hi\"}"));
    try (StreamClient client = StreamClient.connect(streamUrl())) {
      client.join("sub-1", "chat", "room", null);
      JsonNode sync = client.next();
      assertThat(sync.path("type").asString()).isEqualTo("stream");
      assertThat(sync.path("streamName").asString()).isEqualTo("chat");
      assertThat(sync.path("groupId").asString()).isEqualTo("room");
      assertThat(sync.path("id").isNull()).isTrue();
      assertThat(sync.path("timestamp").isIntegralNumber()).isTrue();
      assertThat(sync.path("event"))
          .isEqualTo(parse("{\"type\":\"sync\",\"data\":[{\"t\":\"hi\"}]}"));

      worker.callResult("stream::set", setInput("chat", "room", "m1", "{\"t\":\"a\"}"));
      worker.callResult("stream::set", setInput("chat", "other", "m1", "{\"t\":\"elsewhere\"}"));
      worker.callResult("stream::set", setInput("chat", "room", "m1", "{\"t\":\"b\"}"));
      worker.callResult("stream::delete", item("chat", "room", "m1"));
      worker.callResult("stream::delete", item("chat", "room", "m1")); // nothing: no event
      worker.callResult(
          "stream::send",
          json("{'stream_name':'chat','group_id':'room','type':'typing','data':{'who':'ann'}}"));

      JsonNode created = client.next();
      assertThat(created.path("id").asString()).isEqualTo("m1");
      assertThat(created.path("event"))
          .isEqualTo(parse("{\"type\":\"create\",\"data\":{\"t\":\"a\"}}"));
      assertThat(client.next().path("event"))
          .isEqualTo(parse("{\"type\":\"update\",\"data\":{\"t\":\"b\"}}"));
      assertThat(client.next().path("event"))
          .isEqualTo(parse("{\"type\":\"delete\",\"data\":{\"t\":\"b\"}}"));
      JsonNode custom = client.next();
      assertThat(custom.path("id").isNull()).isTrue();
      assertThat(custom.path("event"))
          .isEqualTo(
              parse(
                  "{\"type\":\"event\",\"event\":{\"type\":\"typing\",\"data\":{\"who\":\"ann\"}}}"));

      // A socket's messages are handled in order: once the join after the leave is answered, the
      // leave is done.
      client.leave("sub-1", "chat", "room", null);
      client.join("sub-2", "chat", "marker", null);
      assertThat(client.next().path("groupId").asString()).isEqualTo("marker");
      worker.callResult("stream::set", setInput("chat", "room", "after-leave", "1"));
      worker.callResult("stream::set", setInput("chat", "room", "after-leave", "2"));
      // Changes and syncs reach a socket in the order they were published: nothing came before.
      client.join("sub-3", "chat", "marker-2", null);
      assertThat(client.next().path("groupId").asString()).isEqualTo("marker-2");
      assertThat(client.drain()).isEmpty();
    }
  }

  @Test
  void anItemSubscriberGetsOnlyItsItem() {
    RawWorker worker = connect();
    try (StreamClient client = StreamClient.connect(streamUrl())) {
      client.join("s", "todo", "list", "t1");
      JsonNode sync = client.next();
      assertThat(sync.path("id").asString()).isEqualTo("t1");
      assertThat(sync.path("event")).isEqualTo(parse("{\"type\":\"sync\",\"data\":null}"));

      worker.callResult("stream::set", setInput("todo", "list", "t2", "1"));
      worker.callResult(
          "stream::send", json("{'stream_name':'todo','group_id':'list','type':'x','data':1}"));
      worker.callResult("stream::set", setInput("todo", "list", "t1", "2"));

      JsonNode only = client.next();
      assertThat(only.path("id").asString()).isEqualTo("t1");
      assertThat(only.path("event").path("data").asInt()).isEqualTo(2);
    }
  }

  @Test
  void streamTriggersReceiveTheMessageFilteredByGroupAndCondition() {
    RawWorker worker = connect();
    registerFunction(worker, "on::change");
    worker.sendAndSync(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'stream','function_id':'on::change',"
                + "'config':{'stream_name':'orders','group_id':'eu'}}"));
    worker.callResult("stream::set", setInput("orders", "us", "o1", "1"));
    worker.callResult("stream::set", setInput("orders", "eu", "o2", "{\"total\":5}"));

    JsonNode invocation = worker.awaitInvocation("on::change");
    JsonNode data = invocation.path("data");
    assertThat(data.path("type").asString()).isEqualTo("stream");
    assertThat(data.path("streamName").asString()).isEqualTo("orders");
    assertThat(data.path("groupId").asString()).isEqualTo("eu");
    assertThat(data.path("id").asString()).isEqualTo("o2");
    assertThat(data.path("event")).isEqualTo(parse("{\"type\":\"create\",\"data\":{\"total\":5}}"));
    worker.reply(invocation, "null");
    worker.expectNoMessage(
        m -> "on::change".equals(m.path("function_id").asString()), Duration.ofMillis(200));
  }

  @Test
  void aStreamTriggerWithoutStreamNameIsRefused() {
    RawWorker worker = connect();
    registerFunction(worker, "on::any");
    worker.send(
        json(
            "{'type':'registertrigger','id':'bad','trigger_type':'stream','function_id':'on::any',"
                + "'config':{}}"));
    JsonNode result = worker.awaitType("triggerregistrationresult");
    assertThat(result.path("error").path("message").asString())
        .contains("Failed to deserialize stream trigger");
  }

  @Test
  void aCustomStreamAnswersInsteadOfTheStoreAndItsChangesArePublished() {
    RawWorker worker = connect();
    registerFunction(worker, "stream::get(custom)");
    registerFunction(worker, "stream::set(custom)");
    RawWorker caller = connect();

    CompletableFuture<JsonNode> get =
        CompletableFuture.supplyAsync(
            () -> caller.callResult("stream::get", item("custom", "g", "i")));
    JsonNode getCall = worker.awaitInvocation("stream::get(custom)");
    assertThat(getCall.path("data")).isEqualTo(parse(item("custom", "g", "i")));
    worker.reply(getCall, "{\"from\":\"worker\"}");
    assertThat(get.join()).isEqualTo(parse("{\"from\":\"worker\"}"));

    try (StreamClient client = StreamClient.connect(streamUrl())) {
      client.join("c", "custom", "g", "i");
      JsonNode syncCall = worker.awaitInvocation("stream::get(custom)");
      worker.reply(syncCall, "{\"from\":\"sync\"}");
      assertThat(client.next().path("event").path("data")).isEqualTo(parse("{\"from\":\"sync\"}"));

      CompletableFuture<JsonNode> set =
          CompletableFuture.supplyAsync(
              () -> caller.call("stream::set", setInput("custom", "g", "i", "1")));
      JsonNode setCall = worker.awaitInvocation("stream::set(custom)");
      worker.reply(setCall, "{\"old_value\":{\"v\":0},\"new_value\":{\"v\":1}}");
      assertThat(set.join().path("result"))
          .isEqualTo(parse("{\"old_value\":{\"v\":0},\"new_value\":{\"v\":1}}"));
      assertThat(client.next().path("event"))
          .isEqualTo(parse("{\"type\":\"update\",\"data\":{\"v\":1}}"));

      CompletableFuture<JsonNode> bad =
          CompletableFuture.supplyAsync(
              () -> caller.call("stream::set", setInput("custom", "g", "i", "2")));
      worker.reply(worker.awaitInvocation("stream::set(custom)"), "null");
      assertThat(bad.join().path("error"))
          .isEqualTo(
              parse(
                  "{\"code\":\"STREAM_SET_ERROR\","
                      + "\"message\":\"Failed to set value: Function returned no result\"}"));
    }
  }

  @Test
  void joinTriggersSeeTheAuthContextAndMayRefuseAJoin() {
    EngineConfig config =
        EngineConfig.development()
            .withHost("127.0.0.1")
            .withPort(0)
            .withRestApi(null)
            .withStream(StreamConfig.defaults().withPort(0).withAuthFunction("auth::check"));
    try (EmbeddedEngine authed = EmbeddedEngine.builder().config(config).build().start();
        RawWorker worker = RawWorker.connect(authed)) {
      registerFunction(worker, "auth::check");
      registerFunction(worker, "on::join");
      registerFunction(worker, "on::leave");
      worker.sendAndSync(
          json(
              "{'type':'registertrigger','id':'j','trigger_type':'stream:join',"
                  + "'function_id':'on::join','config':{}}"));
      worker.sendAndSync(
          json(
              "{'type':'registertrigger','id':'l','trigger_type':'stream:leave',"
                  + "'function_id':'on::leave','config':{}}"));
      CompletableFuture<JsonNode> authInput =
          CompletableFuture.supplyAsync(
              () -> {
                JsonNode call = worker.awaitInvocation("auth::check");
                worker.reply(call, "{\"context\":{\"user\":\"ann\"}}");
                return call.path("data");
              });
      try (StreamClient client =
          StreamClient.connect(
              "ws://127.0.0.1:" + authed.streamPort() + "/?token=abc&token=def",
              Map.of("X-Api-Key", "k1"))) {
        JsonNode input = authInput.join();
        assertThat(input.path("path").asString()).isEqualTo("/");
        assertThat(input.path("query_params")).isEqualTo(parse("{\"token\":[\"abc\",\"def\"]}"));
        assertThat(input.path("headers").path("x-api-key").asString()).isEqualTo("k1");
        assertThat(input.path("addr").asString()).startsWith("127.0.0.1:");

        client.join("s1", "secret", "g", null);
        JsonNode join = worker.awaitInvocation("on::join");
        assertThat(join.path("data"))
            .isEqualTo(
                parse(
                    json(
                        "{'subscription_id':'s1','stream_name':'secret','group_id':'g','id':null,"
                            + "'context':{'user':'ann'}}")));
        worker.reply(join, "{\"unauthorized\":true}");
        assertThat(client.next().path("event")).isEqualTo(parse("{\"type\":\"unauthorized\"}"));

        client.join("s2", "open", "g", null);
        worker.reply(worker.awaitInvocation("on::join"), "{\"unauthorized\":false}");
        assertThat(client.next().path("event").path("type").asString()).isEqualTo("sync");
      }
      JsonNode leave = worker.awaitInvocation("on::leave");
      assertThat(leave.path("data").path("subscription_id").asString()).isEqualTo("s2");
      assertThat(leave.path("data").path("context")).isEqualTo(parse("{\"user\":\"ann\"}"));
    }
  }

  @Test
  void aSocketThatStopsReadingIsDroppedPastItsBound() {
    RawWorker worker = connect();
    String payload = "\"" + "x".repeat(60_000) + "\""; // one frame for the client
    try (StreamClient slow = StreamClient.connectNotReading(streamUrl());
        StreamClient fast = StreamClient.connect(streamUrl())) {
      slow.join("s", "firehose", "g", null);
      fast.join("f", "firehose", "g", null);
      assertThat(fast.next().path("event").path("type").asString()).isEqualTo("sync");
      await().until(() -> engine.streamSocketCount() == 2);
      // Past the socket buffers and the 8 Mi characters the engine queues, the slow one is dropped.
      int sent = 0;
      while (engine.streamSocketCount() == 2 && sent < 2000) {
        worker.callResult(
            "stream::send",
            json("{'stream_name':'firehose','group_id':'g','type':'t','data':%s}")
                .formatted(payload));
        sent++;
        fast.drain();
      }
      int afterLoop = engine.streamSocketCount();
      assertThat(afterLoop).as("sockets after %s sends", sent).isLessThan(2);
      await().until(() -> engine.streamSocketCount() == 1);
      // The reader keeps its socket and still gets what is published.
      worker.callResult(
          "stream::send", json("{'stream_name':'firehose','group_id':'g','type':'last','data':1}"));
      await()
          .until(
              () ->
                  fast.drain().stream()
                      .anyMatch(
                          m ->
                              m.path("event")
                                  .path("event")
                                  .path("type")
                                  .asString()
                                  .equals("last")));
    }
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.streamPort() + "/x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
  }
}
