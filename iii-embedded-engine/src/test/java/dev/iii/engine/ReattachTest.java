package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Proves {@code reattach} (official v0.22.1): a reconnected worker that presents its previous
 * connection's id and secret token retires that connection exactly as a disconnect would — its
 * functions, triggers, trigger types and invocations end, its socket closes — before the
 * registrations it replays are handled; a wrong or missing token changes nothing.
 */
class ReattachTest extends EngineTestSupport {

  private static String reattach(RawWorker previous, String token) {
    return json("{'type':'reattach','previous_worker_id':'%s','reattach_token':'%s'}")
        .formatted(previous.workerId(), token);
  }

  private static String tokenOf(RawWorker worker) {
    return worker.firstMessage().path("reattach_token").asString();
  }

  private static String cronTrigger(String id, String functionId) {
    return json("{'type':'registertrigger','id':'%s','trigger_type':'cron','function_id':'%s',"
            + "'config':{'expression':'0 0 * * * *'}}")
        .formatted(id, functionId);
  }

  @Test
  void theTokenRetiresThePreviousConnectionBeforeTheReplayIsHandled() {
    RawWorker observer = connect();
    RawWorker provider = connect();
    RawWorker caller = connect();
    RawWorker old = connect();
    registerFunction(observer, "obs::workers");
    observer.sendAndSync(
        json(
            "{'type':'registertrigger','id':'obs','trigger_type':'engine::workers-available',"
                + "'function_id':'obs::workers','config':{}}"));
    provider.sendAndSync(json("{'type':'registertriggertype','id':'custom','description':'d'}"));
    registerFunction(old, "w::f");
    old.send(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'custom','function_id':'w::f',"
                + "'config':{'v':1}}"));
    old.sendAndSync(cronTrigger("job", "w::f"));
    provider.awaitType("registertrigger");
    String pending = uuid();
    caller.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'w::f','data':{}}")
            .formatted(pending));
    old.awaitInvocation("w::f");

    // The reconnected worker: reattach first, then the replay, with no pause in between.
    RawWorker fresh = connect();
    fresh.send(reattach(old, tokenOf(old)));
    registerFunction(fresh, "w::f");
    fresh.send(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'custom','function_id':'w::f',"
                + "'config':{'v':2}}"));
    fresh.sendAndSync(cronTrigger("job", "w::f"));

    assertThat(old.awaitClosed(RawWorker.TIMEOUT)).isTrue();
    assertThat(old.closeStatus()).isEmpty(); // dropped, as the official engine drops it
    JsonNode stopped = caller.awaitResult(pending);
    assertThat(stopped.path("error").path("code").asString()).isEqualTo("invocation_stopped");
    // At the provider: the old binding goes before the replayed one arrives.
    assertThat(provider.awaitType("unregistertrigger").path("id").asString()).isEqualTo("t1");
    assertThat(provider.awaitType("registertrigger").path("config"))
        .isEqualTo(parse(json("{'v':2}")));
    // The replayed cron trigger is not refused as "already registered": the old job was removed.
    assertThat(fresh.drain())
        .noneMatch(m -> "triggerregistrationresult".equals(m.path("type").asString()));
    JsonNode disconnected =
        observer.awaitMessage(
            m ->
                "worker_disconnected".equals(m.path("data").path("event").asString())
                    && old.workerId().equals(m.path("data").path("worker_id").asString()));
    assertThat(disconnected.path("function_id").asString()).isEqualTo("obs::workers");
    // Everything is the new connection's now.
    String call = uuid();
    caller.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'w::f','data':{}}")
            .formatted(call));
    fresh.reply(fresh.awaitInvocation("w::f"), "\"fresh\"");
    assertThat(caller.awaitResult(call).path("result").asString()).isEqualTo("fresh");
    assertThat(
            caller
                .callResult(
                    "engine::workers::list", json("{'worker_id':'%s'}").formatted(old.workerId()))
                .path("workers"))
        .isEmpty();
    assertThat(registeredTriggerIds(caller)).containsExactlyInAnyOrder("obs", "job", "t1");
  }

  @Test
  void aWrongOrMissingTokenIsRefusedWithAWarningAndChangesNothing() {
    RawWorker old = connect();
    RawWorker other = connect();
    registerFunction(old, "w::kept");
    RawWorker fresh = connect();

    try (EngineLogCapture logs = new EngineLogCapture()) {
      fresh.sendAndSync(reattach(old, uuid()));
      fresh.sendAndSync(
          json("{'type':'reattach','previous_worker_id':'%s'}").formatted(old.workerId()));
      // Another live worker's token does not open this one.
      fresh.sendAndSync(reattach(old, tokenOf(other)));

      assertThat(logs.warnings())
          .filteredOn(line -> line.contains("wrong or missing token"))
          .hasSize(3);
    }
    assertThat(old.isClosed()).isFalse();
    assertThat(functionIds(fresh, false)).contains("w::kept");
    String call = uuid();
    fresh.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'w::kept','data':{}}")
            .formatted(call));
    old.reply(old.awaitInvocation("w::kept"), "1");
    assertThat(fresh.awaitResult(call).path("result").asInt()).isEqualTo(1);
    assertThat(fresh.drain()).isEmpty();
  }

  @Test
  void reattachingToAGoneOrMalformedOrOwnIdIsIgnored() {
    RawWorker gone = connect();
    String goneId = gone.workerId();
    String goneToken = tokenOf(gone);
    gone.close();
    RawWorker fresh = connect();
    awaitDisconnected(fresh, gone);

    fresh.sendAndSync(
        json("{'type':'reattach','previous_worker_id':'%s','reattach_token':'%s'}")
            .formatted(goneId, goneToken));
    fresh.sendAndSync(
        json("{'type':'reattach','previous_worker_id':'not-a-uuid','reattach_token':'x'}"));
    fresh.sendAndSync(reattach(fresh, tokenOf(fresh)));

    assertThat(fresh.isClosed()).isFalse();
    assertThat(fresh.drain()).isEmpty();
    registerFunction(fresh, "still::works");
    assertThat(functionIds(fresh, false)).contains("still::works");
  }

  private static List<String> registeredTriggerIds(RawWorker caller) {
    return caller
        .callResult("engine::registered-triggers::list", "{}")
        .path("registered_triggers")
        .valueStream()
        .map(t -> t.path("id").asString())
        .toList();
  }
}
