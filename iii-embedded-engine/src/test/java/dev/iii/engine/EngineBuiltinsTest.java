package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Proves the built-ins official v0.22.1 added or changed, on the wire: {@code
 * engine::functions::list} filters, {@code ::functions::info} (single and batch), {@code
 * ::triggers::list}/{@code ::info} (trigger types), {@code ::registered-triggers::info}, {@code
 * ::workers::info}, {@code ::workers::register} with description and isolation, and {@code
 * engine::register_trigger} / {@code ::unregister_trigger} (ownerless, acknowledged by a provider
 * worker).
 */
class EngineBuiltinsTest extends EngineTestSupport {

  private static void describe(RawWorker worker, String fields) {
    worker.sendAndSync(
        json("{'type':'invokefunction','function_id':'engine::workers::register','data':%s}")
            .formatted(json(fields)));
  }

  private static List<String> ids(JsonNode rows, String key) {
    List<String> ids = new ArrayList<>();
    rows.forEach(row -> ids.add(row.path(key).asString()));
    return ids;
  }

  @Test
  void functionsListFiltersLikeTheOfficialEngine() {
    RawWorker a = connect();
    RawWorker b = connect();
    describe(a, "{'name':'alpha','pid':1}");
    describe(b, "{'name':'beta','pid':2}");
    a.sendAndSync(json("{'type':'registerfunction','id':'store::get','description':'reads'}"));
    a.sendAndSync(
        json("{'type':'registerfunction','id':'db::load','description':'loads the store'}"));
    b.sendAndSync(json("{'type':'registerfunction','id':'mystore::x'}"));
    b.sendAndSync(
        json("{'type':'registerfunction','id':'b::hidden','metadata':{'internal':true}}"));

    JsonNode all =
        RawWorker.MAPPER.valueToTree(
            withoutModules(a.callResult("engine::functions::list", "{}").path("functions")));
    assertThat(ids(all, "function_id"))
        .containsExactly("db::load", "mystore::x", "store::get"); // sorted, internal hidden
    assertThat(all.get(0).path("worker_name").asString()).isEqualTo("alpha");
    assertThat(
            ids(
                a.callResult("engine::functions::list", json("{'include_internal':true}"))
                    .path("functions"),
                "function_id"))
        .contains("b::hidden", "engine::functions::list");
    assertThat(
            ids(
                a.callResult("engine::functions::list", json("{'prefix':'store'}"))
                    .path("functions"),
                "function_id"))
        .containsExactly("store::get");
    assertThat(
            ids(
                a.callResult("engine::functions::list", json("{'worker':'beta'}"))
                    .path("functions"),
                "function_id"))
        .containsExactly("mystore::x");
    assertThat(
            ids(
                a.callResult("engine::functions::list", json("{'workers':['alpha','beta']}"))
                    .path("functions"),
                "function_id"))
        .hasSize(3);
    // search: id-anchored hits first, then id substrings, then description-only hits.
    assertThat(
            ids(
                a.callResult("engine::functions::list", json("{'search':'STORE'}"))
                    .path("functions"),
                "function_id"))
        .containsExactly("store::get", "mystore::x", "db::load");
  }

  @Test
  void functionsInfoAnswersOneOrABatchWithTheOfficialErrors() {
    RawWorker a = connect();
    RawWorker provider = connect();
    provider.sendAndSync(json("{'type':'registertriggertype','id':'custom','description':'d'}"));
    a.sendAndSync(
        json(
            "{'type':'registerfunction','id':'a::f','description':'does f',"
                + "'request_format':{'type':'object'},'metadata':{'m':1}}"));
    a.sendAndSync(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'custom','function_id':'a::f',"
                + "'config':{'c':1}}"));

    JsonNode detail = a.callResult("engine::functions::info", json("{'function_id':'a::f'}"));
    assertThat(detail)
        .isEqualTo(
            parse(
                json(
                    "{'function_id':'a::f','worker_name':'a','description':'does f',"
                        + "'request_schema':{'type':'object'},'metadata':{'m':1},"
                        + "'registered_triggers':[{'id':'t1','trigger_type':'custom',"
                        + "'config':{'c':1}}]}")));
    JsonNode batch =
        a.callResult("engine::functions::info", json("{'function_ids':['nope','a::f','nope']}"));
    assertThat(batch.path("functions")).hasSize(2);
    assertThat(batch.path("functions").get(0))
        .isEqualTo(parse(json("{'function_id':'nope','error':'not_found'}")));
    assertThat(batch.path("functions").get(1).path("function_id").asString()).isEqualTo("a::f");

    JsonNode notFound = error(a, "engine::functions::info", "{'function_id':'nope'}");
    assertThat(notFound.path("code").asString()).isEqualTo("NOT_FOUND");
    assertThat(notFound.path("message").asString()).isEqualTo("Function 'nope' is not registered.");
    assertThat(error(a, "engine::functions::info", "{}").path("code").asString())
        .isEqualTo("INVALID_ARGUMENTS");
    assertThat(
            error(a, "engine::functions::info", "{'function_id':'a::f','function_ids':['a::f']}")
                .path("message")
                .asString())
        .isEqualTo("pass either `function_id` or `function_ids`, not both");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      many.add("'f" + i + "'");
    }
    assertThat(
            error(a, "engine::functions::info", "{'function_ids':[" + String.join(",", many) + "]}")
                .path("message")
                .asString())
        .isEqualTo("too many function_ids (max 32)");
  }

  @Test
  void triggersListAndInfoDescribeTriggerTypes() {
    RawWorker provider = connect();
    RawWorker a = connect();
    describe(provider, "{'name':'hooks','pid':3}");
    provider.sendAndSync(
        json(
            "{'type':'registertriggertype','id':'webhook','description':'Incoming webhooks',"
                + "'trigger_request_format':{'type':'object'}}"));
    a.sendAndSync(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'webhook','function_id':'a::f',"
                + "'config':{}}"));

    JsonNode list =
        RawWorker.MAPPER.valueToTree(
            withoutModules(a.callResult("engine::triggers::list", "{}").path("triggers")));
    assertThat(ids(list, "id")).containsExactly("cron", "http", "webhook");
    assertThat(list.get(1))
        .isEqualTo(
            parse(
                json(
                    "{'id':'http','worker_name':'iii-http',"
                        + "'description':'HTTP API trigger: invokes the function for requests to"
                        + " api_path'}")));
    assertThat(list.get(2).path("worker_name").asString()).isEqualTo("hooks");
    assertThat(
            ids(
                a.callResult("engine::triggers::list", json("{'include_internal':true}"))
                    .path("triggers"),
                "id"))
        .contains("engine::functions-available", "engine::workers-available");
    assertThat(
            ids(
                a.callResult("engine::triggers::list", json("{'search':'WEBHOOK'}"))
                    .path("triggers"),
                "id"))
        .containsExactly("webhook");
    assertThat(a.callResult("engine::triggers::info", json("{'id':'webhook'}")))
        .isEqualTo(
            parse(
                json(
                    "{'id':'webhook','worker_name':'hooks','description':'Incoming webhooks',"
                        + "'configuration_schema':{'type':'object'},'instance_count':1}")));
    assertThat(error(a, "engine::triggers::info", "{'id':'nope'}").path("message").asString())
        .isEqualTo("Trigger type 'nope' is not registered.");
  }

  @Test
  void registeredTriggersInfoDenormalisesTheTypeAndTheFunction() {
    RawWorker provider = connect();
    RawWorker a = connect();
    provider.sendAndSync(json("{'type':'registertriggertype','id':'custom','description':'d'}"));
    registerFunction(a, "a::f");
    a.sendAndSync(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'custom','function_id':'a::f',"
                + "'config':{'k':'v'}}"));
    a.sendAndSync(
        json(
            "{'type':'registertrigger','id':'t2','trigger_type':'custom','function_id':'gone::f',"
                + "'config':{}}"));

    JsonNode t1 = a.callResult("engine::registered-triggers::info", json("{'id':'t1'}"));
    assertThat(keys(t1))
        .containsExactly(
            "id", "trigger_type", "function_id", "worker_name", "config", "trigger", "function");
    assertThat(t1.path("trigger").path("instance_count").asInt()).isEqualTo(2);
    assertThat(t1.path("function").path("function_id").asString()).isEqualTo("a::f");
    JsonNode t2 = a.callResult("engine::registered-triggers::info", json("{'id':'t2'}"));
    assertThat(t2.path("function").isNull()).isTrue();
    assertThat(t2.path("worker_name").asString()).isEqualTo("gone");
    assertThat(
            ids(
                a.callResult("engine::registered-triggers::list", json("{'function_id':'a::f'}"))
                    .path("registered_triggers"),
                "id"))
        .containsExactly("t1");
    assertThat(
            error(a, "engine::registered-triggers::info", "{'id':'nope'}")
                .path("message")
                .asString())
        .isEqualTo("Registered trigger 'nope' was not found.");
  }

  @Test
  void workersInfoShowsAWorkerOrAModuleByName() {
    RawWorker provider = connect();
    describe(
        provider,
        "{'name':' hooks\\u202e ','pid':7,'runtime':'node','description':'Serves\\u0007 hooks',"
            + "'isolation':'vm'}");
    registerFunction(provider, "hooks::send");
    provider.sendAndSync(json("{'type':'registertriggertype','id':'webhook','description':'d'}"));
    provider.sendAndSync(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'webhook',"
                + "'function_id':'hooks::send','config':{}}"));

    JsonNode info = provider.callResult("engine::workers::info", json("{'name':'hooks'}"));

    assertThat(keys(info))
        .containsExactly("worker", "functions", "trigger_types", "registered_triggers");
    JsonNode worker = info.path("worker");
    assertThat(worker.path("id").asString()).isEqualTo(provider.workerId());
    assertThat(worker.path("name").asString()).isEqualTo("hooks"); // sanitised and trimmed
    assertThat(worker.path("description").asString()).isEqualTo("Serves hooks");
    assertThat(worker.path("isolation").asString()).isEqualTo("vm");
    assertThat(worker.path("pid").asLong()).isEqualTo(7);
    assertThat(worker.path("internal").asBoolean()).isFalse();
    assertThat(ids(info.path("functions"), "function_id")).containsExactly("hooks::send");
    assertThat(ids(info.path("trigger_types"), "id")).containsExactly("webhook");
    assertThat(ids(info.path("registered_triggers"), "id")).containsExactly("t1");

    JsonNode module =
        provider.callResult("engine::workers::info", json("{'name':'iii-engine-functions'}"));
    assertThat(module.path("worker").path("internal").asBoolean()).isTrue();
    assertThat(module.path("worker").path("runtime").asString()).isEqualTo("engine");
    assertThat(ids(module.path("functions"), "function_id")).contains("engine::workers::info");
    JsonNode nobody = error(provider, "engine::workers::info", "{'name':'nobody'}");
    assertThat(nobody.path("code").asString()).isEqualTo("NOT_FOUND");
    assertThat(nobody.path("message").asString()).isEqualTo("Worker 'nobody' is not connected.");
    assertThat(
            provider
                .callResult("engine::workers::list", json("{'runtime':'node'}"))
                .path("workers"))
        .singleElement()
        .satisfies(row -> assertThat(row.path("name").asString()).isEqualTo("hooks"));
  }

  @Test
  void registerTriggerWaitsForTheProvidersAnswerAndBindsWithoutOwner() {
    RawWorker provider = connect();
    RawWorker caller = connect();
    RawWorker handler = connect();
    provider.sendAndSync(json("{'type':'registertriggertype','id':'custom','description':'d'}"));
    registerFunction(handler, "h::f");

    String call = uuid();
    caller.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'engine::register_trigger',"
                + "'data':{'trigger_type':'custom','function_id':'h::f','config':{'a':1},"
                + "'metadata':{'m':2}}}")
            .formatted(call));
    JsonNode forwarded = provider.awaitType("registertrigger");
    assertThat(forwarded.path("metadata")).isEqualTo(parse(json("{'m':2}")));
    String triggerId = forwarded.path("id").asString();
    caller.expectNoMessage(
        m -> call.equals(m.path("invocation_id").asString()), java.time.Duration.ofMillis(200));
    provider.send(
        json("{'type':'triggerregistrationresult','id':'%s','trigger_type':'custom',"
                + "'function_id':'h::f'}")
            .formatted(triggerId));
    assertThat(caller.awaitResult(call).path("result"))
        .isEqualTo(parse(json("{'id':'%s'}").formatted(triggerId)));

    // Ownerless: the caller leaving does not remove it.
    caller.close();
    awaitDisconnected(handler, caller);
    assertThat(
            ids(
                handler
                    .callResult("engine::registered-triggers::list", "{}")
                    .path("registered_triggers"),
                "id"))
        .containsExactly(triggerId);

    JsonNode removed =
        handler.callResult("engine::unregister_trigger", json("{'id':'%s'}").formatted(triggerId));
    assertThat(removed).isEqualTo(parse(json("{'removed':true}")));
    assertThat(provider.awaitType("unregistertrigger").path("id").asString()).isEqualTo(triggerId);
    assertThat(
            handler.callResult(
                "engine::unregister_trigger", json("{'id':'%s'}").formatted(triggerId)))
        .isEqualTo(parse(json("{'removed':false}")));
  }

  @Test
  void registerTriggerFailsWhenTheProviderRefusesAndWaitsWithoutProvider() {
    RawWorker provider = connect();
    RawWorker caller = connect();
    provider.sendAndSync(json("{'type':'registertriggertype','id':'custom','description':'d'}"));

    String call = uuid();
    caller.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'engine::register_trigger',"
                + "'data':{'trigger_type':'custom','function_id':'h::f'}}")
            .formatted(call));
    JsonNode forwarded = provider.awaitType("registertrigger");
    assertThat(forwarded.path("config").isNull()).isTrue();
    provider.send(
        json("{'type':'triggerregistrationresult','id':'%s','trigger_type':'custom',"
                + "'function_id':'h::f','error':{'code':'bad_config','message':'no'}}")
            .formatted(forwarded.path("id").asString()));

    assertThat(caller.awaitResult(call).path("error"))
        .isEqualTo(
            parse(json("{'code':'trigger_registration_failed','message':'bad_config: no'}")));
    assertThat(
            caller
                .callResult("engine::registered-triggers::list", "{}")
                .path("registered_triggers"))
        .isEmpty();

    JsonNode parked =
        caller.callResult(
            "engine::register_trigger", json("{'trigger_type':'later','function_id':'h::f'}"));
    assertThat(parked.path("id").asString()).matches(InvocationRoutingTest.UUID_PATTERN);
    assertThat(error(caller, "engine::register_trigger", "{'function_id':'h::f'}").path("code"))
        .isEqualTo(parse("\"deserialization_error\""));
  }

  private static JsonNode error(RawWorker caller, String functionId, String singleQuotedInput) {
    JsonNode answer = caller.call(functionId, json(singleQuotedInput));
    assertThat(answer.has("error")).as("%s answers an error: %s", functionId, answer).isTrue();
    return answer.path("error");
  }
}
