package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Proves the connection greeting and the function registry as workers see it: {@code
 * workerregistered} first, {@code registerfunction}/{@code unregisterfunction} reflected in {@code
 * engine::functions::list}, last writer wins, and cleanup on disconnect that only removes what the
 * disconnecting worker still owns.
 */
class RegistrationTest extends EngineTestSupport {

  @Test
  void workerRegisteredIsTheFirstFrameWithAFreshUuid() {
    RawWorker a = connect();
    RawWorker b = connect();

    assertThat(keys(a.firstMessage())).containsExactly("type", "worker_id", "reattach_token");
    assertThat(a.firstMessage().path("type").asString()).isEqualTo("workerregistered");
    assertThat(a.workerId()).matches(InvocationRoutingTest.UUID_PATTERN);
    assertThat(b.workerId()).matches(InvocationRoutingTest.UUID_PATTERN).isNotEqualTo(a.workerId());
    String tokenA = a.firstMessage().path("reattach_token").asString();
    String tokenB = b.firstMessage().path("reattach_token").asString();
    assertThat(tokenA).matches(InvocationRoutingTest.UUID_PATTERN).isNotEqualTo(a.workerId());
    assertThat(tokenB).matches(InvocationRoutingTest.UUID_PATTERN).isNotEqualTo(tokenA);
  }

  @Test
  void registeredFunctionIsListedWithItsFunctionInfo() {
    RawWorker b = connect();

    b.sendAndSync(
        json(
            "{'type':'registerfunction','id':'math::add','description':'adds',"
                + "'request_format':{'type':'object'},'response_format':{'type':'number'},"
                + "'metadata':{'v':1},'namespace':'ignored'}"));
    registerFunction(b, "math::bare");

    JsonNode list = listFunctions(b, false);
    assertThat(keys(list)).containsExactly("functions");
    JsonNode add = find(list, "math::add");
    // v0.22 rows (function_id, worker_name, description, metadata) plus the v0.9 formats.
    assertThat(keys(add))
        .containsExactly(
            "function_id",
            "worker_name",
            "description",
            "request_format",
            "response_format",
            "metadata");
    // An unnamed worker's function is attributed to the id's first segment, as officially.
    assertThat(add)
        .isEqualTo(
            parse(
                json(
                    "{'function_id':'math::add','worker_name':'math','description':'adds',"
                        + "'request_format':{'type':'object'},'response_format':{'type':'number'},"
                        + "'metadata':{'v':1}}")));
    assertThat(find(list, "math::bare"))
        .isEqualTo(
            parse(
                json(
                    "{'function_id':'math::bare','worker_name':'math','description':null,"
                        + "'request_format':null,'response_format':null,'metadata':null}")));
  }

  @Test
  void builtinsAreListedOnlyWithIncludeInternal() {
    RawWorker a = connect();
    registerFunction(a, "a::one");

    assertThat(functionIds(a, false)).containsExactly("a::one");
    assertThat(functionIds(a, true))
        .contains(
            "a::one",
            "engine::functions::list",
            "engine::workers::list",
            "engine::workers::register",
            "engine::triggers::list",
            "engine::channels::create",
            "engine::functions::info",
            "engine::triggers::info",
            "engine::registered-triggers::list",
            "engine::registered-triggers::info",
            "engine::workers::info",
            "engine::register_trigger",
            "engine::unregister_trigger");
    JsonNode builtin = functionInfo(a, "engine::functions::list");
    assertThat(builtin.path("worker_name").asString()).isEqualTo("iii-engine-functions");
    assertThat(builtin.path("description").isString()).isTrue();
  }

  @Test
  void reRegisteringUpdatesDescriptionAndMetadata() {
    RawWorker b = connect();
    b.sendAndSync(json("{'type':'registerfunction','id':'b::f','description':'old'}"));

    b.sendAndSync(
        json("{'type':'registerfunction','id':'b::f','description':'new','metadata':{'x':true}}"));

    JsonNode info = functionInfo(b, "b::f");
    assertThat(info.path("description").asString()).isEqualTo("new");
    assertThat(info.path("metadata")).isEqualTo(parse(json("{'x':true}")));
    assertThat(functionIds(b, false)).containsExactly("b::f");
  }

  @Test
  void unregisterFunctionRemovesIt() {
    RawWorker b = connect();
    registerFunction(b, "b::gone");

    b.sendAndSync(json("{'type':'unregisterfunction','id':'b::gone'}"));

    assertThat(functionIds(b, false)).doesNotContain("b::gone");
    assertThat(b.call("b::gone", "{}").path("error").path("code").asString())
        .isEqualTo("function_not_found");
  }

  @Test
  void anyWorkerMayUnregisterAnyFunctionAsInTheOfficialEngine() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::f");

    a.sendAndSync(json("{'type':'unregisterfunction','id':'b::f'}"));

    assertThat(functionIds(a, false)).doesNotContain("b::f");
  }

  @Test
  void secondRegistrationOfAnIdWinsAndSurvivesTheFirstOwnersDisconnect() {
    RawWorker first = connect();
    RawWorker second = connect();
    RawWorker caller = connect();
    registerFunction(first, "shared::f");
    registerFunction(second, "shared::f");

    String id = uuid();
    caller.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'shared::f','data':{}}")
            .formatted(id));
    second.reply(second.awaitInvocation("shared::f"), "\"second\"");
    assertThat(caller.awaitResult(id).path("result").asString()).isEqualTo("second");
    assertThat(first.drain()).isEmpty();

    // Deliberate fix over 0.8.3: the first worker leaving does not take the second's function.
    first.close();
    awaitDisconnected(caller, first);
    assertThat(functionIds(caller, false)).containsExactly("shared::f");
    String again = uuid();
    caller.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'shared::f','data':{}}")
            .formatted(again));
    second.reply(second.awaitInvocation("shared::f"), "\"still second\"");
    assertThat(caller.awaitResult(again).path("result").asString()).isEqualTo("still second");

    second.close();
    awaitDisconnected(caller, second);
    assertThat(functionIds(caller, false)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"close", "abort"})
  void ownerDisconnectingRemovesAllItsFunctions(String how) {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::one");
    registerFunction(b, "b::two");
    registerFunction(a, "a::stays");

    if (how.equals("close")) {
      b.close();
    } else {
      b.abort();
    }

    awaitDisconnected(a, b);
    assertThat(functionIds(a, false)).containsExactly("a::stays");
  }

  @Test
  void registerFunctionWithANonStringIdIsDropped() {
    RawWorker a = connect();

    a.send(json("{'type':'registerfunction','id':123}"));
    a.send(json("{'type':'registerfunction','id':'a::ok','description':false}"));

    assertThat(a.drain()).isEmpty();
    assertThat(functionIds(a, false)).isEmpty();
  }

  @Test
  void registerServiceWithAndWithoutNameIsAcceptedSilently() {
    RawWorker a = connect();

    a.send(json("{'type':'registerservice','id':'billing','name':'Billing','description':'d'}"));
    a.send(json("{'type':'registerservice','id':'billing.sub','parent_service_id':'billing'}"));
    a.send(json("{'type':'registerservice','id':'bare'}"));

    assertThat(a.drain()).isEmpty();
    registerFunction(a, "billing.charge");
    assertThat(functionIds(a, false)).containsExactly("billing.charge");
  }

  private static JsonNode find(JsonNode list, String functionId) {
    for (JsonNode info : list.path("functions")) {
      if (functionId.equals(info.path("function_id").asString())) {
        return info;
      }
    }
    throw new AssertionError(functionId + " not listed in " + list);
  }
}
