package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Proves trigger types provided by workers: triggers are forwarded to the provider as {@code
 * registertrigger}/{@code unregistertrigger}, kept pending until a provider exists, replayed to a
 * new provider, unregistered at the provider when their owner leaves, parked again and reported to
 * their owner when the provider refuses them, and (once live) listed by {@code
 * engine::registered-triggers::list}.
 */
class TriggerTest extends EngineTestSupport {

  private static String registerType(String id) {
    return json("{'type':'registertriggertype','id':'%s','description':'A custom type'}")
        .formatted(id);
  }

  private static String registerTrigger(String id, String type, String functionId) {
    return json("{'type':'registertrigger','id':'%s','trigger_type':'%s','function_id':'%s',"
            + "'config':{'path':'/hook'}}")
        .formatted(id, type, functionId);
  }

  private static JsonNode forwardedTrigger(String id, String type, String functionId) {
    return parse(
        json("{'type':'registertrigger','id':'%s','trigger_type':'%s','function_id':'%s',"
                + "'config':{'path':'/hook'}}")
            .formatted(id, type, functionId));
  }

  @Test
  void providerReceivesRegisterAndUnregisterOfTriggersOfItsType() {
    RawWorker provider = connect();
    RawWorker a = connect();
    provider.sendAndSync(registerType("custom"));
    registerFunction(a, "a::handler");

    a.send(registerTrigger("t1", "custom", "a::handler"));

    JsonNode forwarded = provider.awaitType("registertrigger");
    assertThat(keys(forwarded))
        .containsExactly("type", "id", "trigger_type", "function_id", "config");
    assertThat(forwarded).isEqualTo(forwardedTrigger("t1", "custom", "a::handler"));

    // Firing a trigger is an ordinary call from the provider.
    String id = uuid();
    provider.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'a::handler',"
                + "'data':{'fired':true}}")
            .formatted(id));
    a.reply(a.awaitInvocation("a::handler"), "\"handled\"");
    assertThat(provider.awaitResult(id).path("result").asString()).isEqualTo("handled");

    a.send(json("{'type':'unregistertrigger','id':'t1'}"));

    JsonNode unregistered = provider.awaitType("unregistertrigger");
    assertThat(keys(unregistered)).containsExactly("type", "id", "trigger_type");
    assertThat(unregistered)
        .isEqualTo(parse(json("{'type':'unregistertrigger','id':'t1','trigger_type':'custom'}")));
    assertThat(triggerIds(a)).isEmpty();
  }

  @Test
  void unregisterTriggerLooksUpByIdOnlyAndAnyWorkerMaySendIt() {
    RawWorker provider = connect();
    RawWorker a = connect();
    RawWorker other = connect();
    provider.sendAndSync(registerType("custom"));
    a.send(registerTrigger("t1", "custom", "a::handler"));
    provider.awaitType("registertrigger");

    other.send(json("{'type':'unregistertrigger','id':'t1','trigger_type':'something-else'}"));

    assertThat(provider.awaitType("unregistertrigger"))
        .isEqualTo(parse(json("{'type':'unregistertrigger','id':'t1','trigger_type':'custom'}")));
  }

  @Test
  void nullConfigIsForwardedAsNull() {
    RawWorker provider = connect();
    RawWorker a = connect();
    provider.sendAndSync(registerType("custom"));

    a.send(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'custom','function_id':'a::f',"
                + "'config':null}"));

    JsonNode forwarded = provider.awaitType("registertrigger");
    assertThat(forwarded.has("config")).isTrue();
    assertThat(forwarded.get("config").isNull()).isTrue();
  }

  @Test
  void triggerRegisteredBeforeItsTypeIsDeliveredWhenTheTypeAppears() {
    RawWorker a = connect();
    RawWorker provider = connect();
    a.sendAndSync(registerTrigger("early", "late-type", "a::handler"));
    assertThat(triggerIds(a)).isEmpty(); // pending: not live, not listed (as v0.22.1)
    assertThat(a.drain()).isEmpty(); // waiting for a provider is not a refusal

    provider.send(registerType("late-type"));

    assertThat(provider.awaitType("registertrigger"))
        .isEqualTo(forwardedTrigger("early", "late-type", "a::handler"));
    assertThat(triggerIds(a)).containsExactly("early");
  }

  @Test
  void newProviderReceivesTheTriggersStoredForItsType() {
    RawWorker a = connect();
    RawWorker oldProvider = connect();
    oldProvider.sendAndSync(registerType("custom"));
    a.send(registerTrigger("t1", "custom", "a::handler"));
    oldProvider.awaitType("registertrigger");

    oldProvider.close();
    awaitDisconnected(a, oldProvider);
    assertThat(triggerIds(a)).isEmpty(); // parked until the type returns
    RawWorker newProvider = connect();
    newProvider.send(registerType("custom"));

    assertThat(newProvider.awaitType("registertrigger"))
        .isEqualTo(forwardedTrigger("t1", "custom", "a::handler"));
    assertThat(triggerIds(a)).containsExactly("t1");
  }

  @Test
  void aLaterProviderOfTheSameTypeTakesOverAndKeepsItWhenTheFirstLeaves() {
    RawWorker a = connect();
    RawWorker first = connect();
    RawWorker second = connect();
    first.sendAndSync(registerType("custom"));
    a.send(registerTrigger("t1", "custom", "a::handler"));
    first.awaitType("registertrigger");

    second.send(registerType("custom"));
    assertThat(second.awaitType("registertrigger"))
        .isEqualTo(forwardedTrigger("t1", "custom", "a::handler"));
    first.close();
    awaitDisconnected(a, first);
    a.send(registerTrigger("t2", "custom", "a::handler"));

    assertThat(second.awaitType("registertrigger"))
        .isEqualTo(forwardedTrigger("t2", "custom", "a::handler"));
  }

  @Test
  void ownerDisconnectingUnregistersItsTriggersAtTheProvider() {
    RawWorker provider = connect();
    RawWorker a = connect();
    provider.sendAndSync(registerType("custom"));
    a.send(registerTrigger("t1", "custom", "a::handler"));
    a.send(registerTrigger("t2", "custom", "a::handler"));
    provider.awaitType("registertrigger");
    provider.awaitType("registertrigger");

    a.abort();

    List<String> unregistered = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      JsonNode message = provider.awaitType("unregistertrigger");
      assertThat(message.path("trigger_type").asString()).isEqualTo("custom");
      unregistered.add(message.path("id").asString());
    }
    assertThat(unregistered).containsExactlyInAnyOrder("t1", "t2");
    assertThat(triggerIds(provider)).isEmpty();
  }

  @Test
  void registeredTriggersListShowsLiveTriggersAndHidesEngineFunctionsUnlessAsked() {
    RawWorker provider = connect();
    RawWorker a = connect();
    provider.sendAndSync(registerType("custom"));
    a.send(registerTrigger("t1", "custom", "a::handler"));
    a.sendAndSync(
        json(
            "{'type':'registertrigger','id':'internal','trigger_type':'custom',"
                + "'function_id':'engine::functions::list','config':{}}"));

    JsonNode list = a.callResult("engine::registered-triggers::list", "{}");

    assertThat(keys(list)).containsExactly("registered_triggers");
    assertThat(list.path("registered_triggers")).hasSize(1);
    JsonNode trigger = list.path("registered_triggers").get(0);
    assertThat(keys(trigger))
        .containsExactly(
            "id", "trigger_type", "function_id", "worker_name", "config", "config_summary");
    assertThat(trigger.path("id").asString()).isEqualTo("t1");
    assertThat(trigger.path("trigger_type").asString()).isEqualTo("custom");
    assertThat(trigger.path("function_id").asString()).isEqualTo("a::handler");
    assertThat(trigger.path("worker_name").asString()).isEqualTo("a"); // unnamed: first segment
    assertThat(trigger.path("config")).isEqualTo(parse(json("{'path':'/hook'}")));
    assertThat(trigger.path("config_summary").asString()).isEqualTo(json("{'path':'/hook'}"));
    assertThat(
            a.callResult("engine::registered-triggers::list", json("{'include_internal':true}"))
                .path("registered_triggers"))
        .hasSize(2);
  }

  @Test
  void aSuccessResultChangesNothingAndOnlyTheTypesProviderMayRefuse() {
    RawWorker provider = connect();
    RawWorker other = connect();
    RawWorker a = connect();
    provider.sendAndSync(registerType("custom"));
    a.send(registerTrigger("t1", "custom", "a::handler"));
    provider.awaitType("registertrigger");

    provider.send(
        json(
            "{'type':'triggerregistrationresult','id':'t1','trigger_type':'custom',"
                + "'function_id':'a::handler','result':{'ok':true}}"));
    other.send(
        json(
            "{'type':'triggerregistrationresult','id':'t1','trigger_type':'custom',"
                + "'function_id':'a::handler','error':{'code':'spoof','message':'no'}}"));
    other.sync();

    assertThat(provider.drain()).isEmpty();
    assertThat(a.drain()).isEmpty();
    assertThat(triggerIds(a)).containsExactly("t1");
  }

  @Test
  void aProvidersRefusalParksTheTriggerAndIsForwardedToTheWorkerThatRegisteredIt() {
    RawWorker provider = connect();
    RawWorker a = connect();
    provider.sendAndSync(registerType("custom"));
    a.send(registerTrigger("t1", "custom", "a::handler"));
    provider.awaitType("registertrigger");

    provider.send(
        json(
            "{'type':'triggerregistrationresult','id':'t1','trigger_type':'wrong',"
                + "'function_id':'wrong','error':{'code':'bad_config','message':'no path'}}"));

    JsonNode refusal = a.awaitType("triggerregistrationresult");
    assertThat(refusal)
        .isEqualTo(
            parse(
                json(
                    "{'type':'triggerregistrationresult','id':'t1','trigger_type':'custom',"
                        + "'function_id':'a::handler',"
                        + "'error':{'code':'bad_config','message':'no path'}}")));
    assertThat(triggerIds(a)).isEmpty();
    // Parked, not dropped: the type's next provider gets it again.
    RawWorker next = connect();
    next.send(registerType("custom"));
    assertThat(next.awaitType("registertrigger").path("id").asString()).isEqualTo("t1");
  }

  @Test
  void unregisterTriggerTypeRemovesTheTypeOnlyForItsOwner() {
    RawWorker provider = connect();
    RawWorker other = connect();
    RawWorker a = connect();
    provider.sendAndSync(registerType("custom"));

    other.sendAndSync(json("{'type':'unregistertriggertype','id':'custom'}"));
    a.send(registerTrigger("t1", "custom", "a::handler"));
    assertThat(provider.awaitType("registertrigger").path("id").asString()).isEqualTo("t1");

    provider.sendAndSync(json("{'type':'unregistertriggertype','id':'custom'}"));
    a.sendAndSync(registerTrigger("t2", "custom", "a::handler"));

    assertThat(provider.drain()).isEmpty();
    assertThat(triggerIds(a)).isEmpty(); // both wait for the type's next provider
    provider.send(registerType("custom"));
    List<String> delivered = new ArrayList<>();
    delivered.add(provider.awaitType("registertrigger").path("id").asString());
    delivered.add(provider.awaitType("registertrigger").path("id").asString());
    assertThat(delivered).containsExactlyInAnyOrder("t1", "t2");
  }

  @Test
  void aWorkerCannotTakeOverAnEngineTriggerType() {
    RawWorker hijacker = connect();
    RawWorker a = connect();
    RawWorker b = connect();
    hijacker.sendAndSync(registerType("engine::functions-available"));
    registerFunction(a, "a::sub");
    a.sendAndSync(registerTrigger("sub", "engine::functions-available", "a::sub"));

    registerFunction(b, "b::new");

    a.awaitMessage(
        m ->
            "a::sub".equals(m.path("function_id").asString())
                && m.path("data").path("functions").toString().contains("b::new"));
    assertThat(hijacker.drain()).isEmpty();
  }

  private static List<String> triggerIds(RawWorker caller) {
    List<String> ids = new ArrayList<>();
    for (JsonNode trigger :
        caller.callResult("engine::registered-triggers::list", "{}").path("registered_triggers")) {
      ids.add(trigger.path("id").asString());
    }
    return ids;
  }
}
