package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Proves the {@code metadata} sidecar of official v0.22.1 end to end: a caller's metadata reaches
 * the handler, a trigger's metadata is stored, forwarded to the worker that provides its type, and
 * delivered with every fire, and {@code engine::registered-triggers::info} shows it.
 */
class MetadataTest extends EngineTestSupport {

  @Test
  void aCallersMetadataReachesTheHandlerNextToTheData() {
    RawWorker caller = connect();
    RawWorker handler = connect();
    registerFunction(handler, "h::f");

    caller.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'h::f','data':{'x':1},"
                + "'metadata':{'tenant':'t-1','n':[1,2]}}")
            .formatted(uuid()));

    JsonNode invocation = handler.awaitInvocation("h::f");
    assertThat(invocation.path("metadata")).isEqualTo(parse(json("{'tenant':'t-1','n':[1,2]}")));
    assertThat(invocation.path("data").path("x").asInt()).isEqualTo(1);
  }

  @Test
  void aTriggersMetadataIsForwardedToItsProviderAndShownInItsDetail() {
    RawWorker provider = connect();
    RawWorker owner = connect();
    provider.sendAndSync(json("{'type':'registertriggertype','id':'custom','description':'d'}"));
    registerFunction(owner, "o::f");

    owner.sendAndSync(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'custom','function_id':'o::f',"
                + "'config':{'k':1},'metadata':{'source':'test'}}"));

    JsonNode forwarded = provider.awaitType("registertrigger");
    assertThat(keys(forwarded))
        .containsExactly("type", "id", "trigger_type", "function_id", "config", "metadata");
    assertThat(forwarded.path("metadata")).isEqualTo(parse(json("{'source':'test'}")));
    JsonNode detail = owner.callResult("engine::registered-triggers::info", json("{'id':'t1'}"));
    assertThat(detail.path("metadata")).isEqualTo(parse(json("{'source':'test'}")));
  }

  @Test
  void aTriggersMetadataIsDeliveredWithEveryFire() {
    RawWorker subscriber = connect();
    registerFunction(subscriber, "s::workers");
    subscriber.sendAndSync(
        json(
            "{'type':'registertrigger','id':'w','trigger_type':'engine::workers-available',"
                + "'function_id':'s::workers','config':{},'metadata':{'route':'workers'}}"));

    RawWorker first = connect();
    JsonNode connected = subscriber.awaitInvocation("s::workers");
    first.close();
    JsonNode disconnected = subscriber.awaitInvocation("s::workers");

    assertThat(connected.path("metadata")).isEqualTo(parse(json("{'route':'workers'}")));
    assertThat(disconnected.path("metadata")).isEqualTo(parse(json("{'route':'workers'}")));
    assertThat(disconnected.path("data").path("event").asString()).isEqualTo("worker_disconnected");
  }

  @Test
  void aTriggerWithoutMetadataDeliversNone() {
    RawWorker subscriber = connect();
    registerFunction(subscriber, "s::workers");
    subscriber.sendAndSync(
        json(
            "{'type':'registertrigger','id':'w','trigger_type':'engine::workers-available',"
                + "'function_id':'s::workers','config':{}}"));

    connect();

    assertThat(subscriber.awaitInvocation("s::workers").has("metadata")).isFalse();
  }
}
