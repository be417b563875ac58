package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The {@code iii-pubsub} module through the worker protocol: {@code publish} and its errors,
 * fan-out to every subscriber of a topic and none of another, the raw {@code data} as payload, and
 * subscriptions ending with their trigger or their worker.
 */
class PubSubTest extends EngineTestSupport {

  private static boolean isInvocation(JsonNode message) {
    return "invokefunction".equals(message.path("type").asString());
  }

  private static List<JsonNode> invocations(RawWorker worker) {
    return worker.drain().stream().filter(PubSubTest::isInvocation).toList();
  }

  private static void subscribe(
      RawWorker worker, String triggerId, String functionId, String topic) {
    worker.sendAndSync(
        json("{'type':'registertrigger','id':'%s','trigger_type':'subscribe','function_id':'%s',"
                + "'config':{'topic':'%s'}}")
            .formatted(triggerId, functionId, topic));
  }

  private static JsonNode publish(RawWorker worker, String topic, String dataJson) {
    return worker.call("publish", json("{'topic':'%s','data':%s}").formatted(topic, dataJson));
  }

  @Test
  void everySubscriberOfTheTopicReceivesTheDataAsIsAndOtherTopicsNothing() {
    RawWorker first = connect();
    RawWorker second = connect();
    RawWorker other = connect();
    RawWorker publisher = connect();
    registerFunction(first, "orders::audit");
    registerFunction(first, "orders::mail");
    registerFunction(second, "orders::ship");
    registerFunction(other, "invoices::on");
    subscribe(first, "t-audit", "orders::audit", "orders.created");
    subscribe(first, "t-mail", "orders::mail", "orders.created");
    subscribe(second, "t-ship", "orders::ship", "orders.created");
    subscribe(other, "t-inv", "invoices::on", "invoices.created");

    JsonNode answer = publish(publisher, "orders.created", json("{'id':7,'items':['a',null]}"));

    assertThat(answer.has("error")).as("%s", answer).isFalse();
    assertThat(answer.path("result").isNull() || answer.path("result").isMissingNode()).isTrue();
    for (String functionId : List.of("orders::audit", "orders::mail")) {
      JsonNode invocation = first.awaitInvocation(functionId);
      assertThat(invocation.path("data")).isEqualTo(parse(json("{'id':7,'items':['a',null]}")));
      assertThat(invocation.has("metadata")).as("no trigger metadata, no envelope").isFalse();
    }
    assertThat(second.awaitInvocation("orders::ship").path("data").path("id").asInt()).isEqualTo(7);
    // The publish was answered after every delivery was queued: a sync proves none went astray.
    assertThat(invocations(other)).isEmpty();
    assertThat(invocations(publisher)).isEmpty();
  }

  @Test
  void anyJsonValueIsDeliveredIncludingNull() {
    RawWorker worker = connect();
    registerFunction(worker, "any::on");
    subscribe(worker, "t-any", "any::on", "any");

    for (String data : List.of("null", "42", "'text'", "[1,2]", "true")) {
      publish(worker, "any", json(data));
      assertThat(worker.awaitInvocation("any::on").path("data")).isEqualTo(parse(json(data)));
    }
  }

  @Test
  void anEmptyTopicIsRefusedWithTheOfficialError() {
    RawWorker worker = connect();

    JsonNode answer = publish(worker, "", "{}");

    assertThat(answer.path("error").path("code").asString()).isEqualTo("topic_not_set");
    assertThat(answer.path("error").path("message").asString()).isEqualTo("Topic is not set");
  }

  @Test
  void malformedInputFailsWithDeserializationError() {
    RawWorker worker = connect();

    JsonNode noTopic = worker.call("publish", json("{'data':1}"));
    JsonNode noData = worker.call("publish", json("{'topic':'t'}"));
    JsonNode numberTopic = worker.call("publish", json("{'topic':5,'data':1}"));
    JsonNode notAnObject = worker.call("publish", "[]");

    assertThat(noTopic.path("error").path("code").asString()).isEqualTo("deserialization_error");
    assertThat(noTopic.path("error").path("message").asString())
        .isEqualTo("Failed to deserialize input for publish: missing field `topic`");
    assertThat(noData.path("error").path("message").asString())
        .isEqualTo("Failed to deserialize input for publish: missing field `data`");
    assertThat(numberTopic.path("error").path("message").asString())
        .isEqualTo(
            "Failed to deserialize input for publish: invalid type: integer `5`, expected a"
                + " string");
    assertThat(notAnObject.path("error").path("code").asString())
        .isEqualTo("deserialization_error");
  }

  @Test
  void unregisteringATriggerEndsOnlyItsSubscription() {
    RawWorker worker = connect();
    registerFunction(worker, "a::on");
    registerFunction(worker, "b::on");
    subscribe(worker, "t-a", "a::on", "news");
    subscribe(worker, "t-b", "b::on", "news");

    worker.sendAndSync(json("{'type':'unregistertrigger','id':'t-a'}"));
    publish(worker, "news", "1");

    List<JsonNode> received = invocations(worker);
    assertThat(received).extracting(m -> m.path("function_id").asString()).containsExactly("b::on");
  }

  @Test
  void aDisconnectedWorkersSubscriptionsEnd() {
    RawWorker handler = connect();
    RawWorker registrant = connect();
    RawWorker publisher = connect();
    registerFunction(handler, "gone::on");
    subscribe(registrant, "t-gone", "gone::on", "bye");
    publish(publisher, "bye", "1");
    handler.awaitInvocation("gone::on");

    registrant.close();
    awaitDisconnected(publisher, registrant);
    publish(publisher, "bye", "2");

    assertThat(invocations(handler)).isEmpty();
  }

  @Test
  void aTriggerWithoutTopicIsAcceptedAndNeverFires() {
    RawWorker worker = connect();
    registerFunction(worker, "none::on");
    worker.sendAndSync(
        json(
            "{'type':'registertrigger','id':'t-none','trigger_type':'subscribe',"
                + "'function_id':'none::on','config':{}}"));

    publish(worker, "x", "1");

    List<JsonNode> messages = worker.drain();
    assertThat(messages).noneMatch(PubSubTest::isInvocation);
    assertThat(messages)
        .noneMatch(m -> m.has("error"))
        .as("the official engine accepts it (a warning only)");
    JsonNode triggers = worker.callResult("engine::registered-triggers::list", "{}");
    assertThat(triggers.path("registered_triggers").toString()).contains("t-none");
  }

  @Test
  void aConditionFunctionIsIgnoredAsInTheOfficialEngine() {
    RawWorker worker = connect();
    registerFunction(worker, "cond::handler");
    registerFunction(worker, "cond::check");
    try (EngineLogCapture logs = new EngineLogCapture()) {
      worker.sendAndSync(
          json(
              "{'type':'registertrigger','id':'t-cond','trigger_type':'subscribe',"
                  + "'function_id':'cond::handler',"
                  + "'config':{'topic':'c','condition_function_id':'cond::check'}}"));

      publish(worker, "c", "1");

      assertThat(invocations(worker))
          .extracting(m -> m.path("function_id").asString())
          .containsExactly("cond::handler");
      assertThat(logs.warnings()).anyMatch(w -> w.contains("t-cond") && w.contains("ignores"));
    }
  }

  @Test
  void aFailingSubscriberIsLoggedAndTheOthersStillReceive() {
    RawWorker worker = connect();
    registerFunction(worker, "ok::on");
    registerFunction(worker, "bad::on");
    subscribe(worker, "t-bad", "bad::on", "mixed");
    subscribe(worker, "t-ok", "ok::on", "mixed");
    try (EngineLogCapture logs = new EngineLogCapture()) {
      JsonNode answer = publish(worker, "mixed", "1");
      JsonNode bad = worker.awaitInvocation("bad::on");
      worker.send(
          json("{'type':'invocationresult','invocation_id':'%s','function_id':'bad::on',"
                  + "'error':{'code':'boom','message':'handler threw'}}")
              .formatted(bad.path("invocation_id").asString()));
      worker.awaitInvocation("ok::on");

      assertThat(answer.has("error")).as("the publisher is not told").isFalse();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(logs.warnings())
                      .anyMatch(
                          w ->
                              w.contains("bad::on")
                                  && w.contains("t-bad")
                                  && w.contains("boom: handler threw")));
    }
  }

  @Test
  void aSubscriberWhoseFunctionIsMissingIsLogged() {
    RawWorker worker = connect();
    subscribe(worker, "t-missing", "missing::on", "void");
    try (EngineLogCapture logs = new EngineLogCapture()) {
      JsonNode answer = publish(worker, "void", "1");

      assertThat(answer.has("error")).isFalse();
      assertThat(logs.warnings())
          .anyMatch(
              w ->
                  w.contains("missing::on")
                      && w.contains("function_not_found: Function missing::on not found"));
    }
  }

  @Test
  void theModuleIsListedWithItsFunctionAndTriggerType() {
    RawWorker worker = connect();

    JsonNode publishInfo = functionInfo(worker, "publish");
    JsonNode types = worker.callResult("engine::triggers::list", "{}");

    assertThat(publishInfo).isNotNull();
    assertThat(publishInfo.path("description").asString()).isEqualTo("Publishes an event");
    assertThat(types.toString()).contains("\"subscribe\"").contains("Subscribe to a topic");
    JsonNode module = worker.callResult("engine::workers::info", json("{'name':'iii-pubsub'}"));
    assertThat(module.toString()).contains("publish").contains("subscribe");
  }
}
