package dev.iii;

import static dev.iii.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.FakeEngine.Conn;
import dev.iii.IIITriggerTypeTest.RecordingHandler;
import dev.iii.protocol.FunctionDetail;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.WorkerDetail;
import dev.iii.protocol.WorkerInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The engine's built-ins as v0.22.1 answers them ({@code engine_fn/mod.rs}), read into typed
 * results; and the {@link TriggerTypeRef} a trigger type's registration hands back.
 */
class EngineInfoTest extends ClientTestSupport {

  @Test
  void functionInfoAsksByIdAndReadsTheDetail() {
    III client = connect(client());
    engine.answer(
        "engine::functions::info",
        input ->
            json(
                "{'function_id':'"
                    + input.get("function_id").asString()
                    + "','worker_name':'orders','description':'Reads an order',"
                    + "'request_schema':{'type':'object'},'metadata':{'team':'orders'},"
                    + "'registered_triggers':[{'id':'t1','trigger_type':'http',"
                    + "'config':{'api_path':'/o'}}]}"));

    FunctionDetail detail = client.functionInfo("orders::get").join();

    assertThat(detail.functionId()).isEqualTo("orders::get");
    assertThat(detail.workerName()).isEqualTo("orders");
    assertThat(detail.requestSchema()).isEqualTo(Map.of("type", "object"));
    assertThat(detail.registeredTriggers())
        .containsExactly(new FunctionDetail.TriggerBinding("t1", "http", Map.of("api_path", "/o")));
    assertThat(
            engine
                .awaitConnection(0)
                .awaitFrame("invokefunction", "function_id", "engine::functions::info")
                .get("data"))
        .isEqualTo(json("{'function_id':'orders::get'}"));
  }

  @Test
  void functionInfoOfAnUnknownFunctionFailsWithNotFound() {
    III client = connect(client());
    engine.answerError(
        "engine::functions::info", "NOT_FOUND", "Function 'nope' is not registered.");

    IIIException error = failure(client.functionInfo("nope"));

    assertThat(error.code()).isEqualTo("NOT_FOUND");
  }

  @Test
  void workerInfoAsksByNameAndReadsTheDetail() {
    III client = connect(client());
    engine.answer(
        "engine::workers::info",
        input ->
            json(
                "{'worker':{'id':'w-1','name':'"
                    + input.get("name").asString()
                    + "','description':'Charges','runtime':'node','status':'connected',"
                    + "'connected_at_ms':1,'function_count':1,'active_invocations':0,"
                    + "'pid':42,'internal':false,'latest_metrics':{'cpu_percent':1.5}},"
                    + "'functions':[{'function_id':'pay::charge','worker_name':'payments'}],"
                    + "'trigger_types':[],'registered_triggers':[]}"));

    WorkerDetail detail = client.workerInfo("payments").join();

    assertThat(detail.worker().name()).isEqualTo("payments");
    assertThat(detail.worker().pid()).isEqualTo(42L);
    assertThat(detail.worker().latestMetrics()).containsEntry("cpu_percent", 1.5);
    assertThat(detail.functions())
        .extracting(FunctionInfo::functionId)
        .containsExactly("pay::charge");
    assertThat(
            engine
                .awaitConnection(0)
                .awaitFrame("invokefunction", "function_id", "engine::workers::info")
                .get("data"))
        .isEqualTo(json("{'name':'payments'}"));
  }

  @Test
  void listsReadTheV022Shapes() {
    III client = connect(client());
    engine.answer(
        "engine::functions::list",
        input ->
            json(
                "{'functions':[{'function_id':'a::b','worker_name':'w','description':'d',"
                    + "'metadata':{'k':1}}]}"));
    engine.answer(
        "engine::workers::list",
        input ->
            json(
                "{'workers':[{'name':'w','description':'Charges','version':'0.22.1','id':'i',"
                    + "'runtime':'node','os':'linux','status':'connected','function_count':2,"
                    + "'connected_at_ms':5,'active_invocations':0,'isolation':'vm',"
                    + "'ip_address':'127.0.0.1'}]}"));

    List<FunctionInfo> functions = client.listFunctions().join();
    List<WorkerInfo> workers = client.listWorkers().join();

    assertThat(functions.get(0).workerName()).isEqualTo("w");
    assertThat(functions.get(0).metadata()).isEqualTo(Map.of("k", 1));
    assertThat(workers.get(0).description()).isEqualTo("Charges");
    assertThat(workers.get(0).isolation()).isEqualTo("vm");
    assertThat(workers.get(0).functions()).isEmpty();
  }

  @Test
  void aTriggerTypeRefBindsFunctionsToItsTypeAndUnregistersIt() {
    III client = client();
    TriggerTypeRef webhook =
        client.registerTriggerType("webhook", "Webhooks", new RecordingHandler());
    Trigger plain = webhook.registerTrigger("other::fn", Map.of("path", "/a"));
    FunctionRef bound =
        webhook.registerFunction(
            "hooks::on", input -> "ok", Map.of("path", "/b"), Map.of("owner", "me"));
    connect(client);
    Conn conn = engine.awaitConnection(0);
    List<JsonNode> frames = conn.settle();

    assertThat(webhook.id()).isEqualTo("webhook");
    assertThat(summaries(frames))
        .containsExactly(
            "invokefunction engine::workers::register (no reply)",
            "registertriggertype webhook",
            "registerfunction hooks::on",
            "registertrigger webhook -> other::fn",
            "registertrigger webhook -> hooks::on");
    assertThat(frames.get(3).get("id").asString()).isEqualTo(plain.id());
    assertThat(frames.get(4).get("config")).isEqualTo(json("{'path':'/b'}"));
    assertThat(frames.get(4).get("metadata")).isEqualTo(json("{'owner':'me'}"));
    assertThat(conn.call("hooks::on", null).get("result").asString()).isEqualTo("ok");

    // Unregistering the bound function removes its trigger too; then the type goes.
    bound.unregister();
    conn.awaitFrame("unregisterfunction", "id", "hooks::on");
    assertThat(conn.received())
        .anySatisfy(
            frame -> {
              assertThat(frame.path("type").asString()).isEqualTo("unregistertrigger");
              assertThat(frame.path("id").asString()).isEqualTo(frames.get(4).get("id").asString());
            });
    webhook.unregister();
    conn.awaitFrame("unregistertriggertype", "id", "webhook");
    assertThat(bound.status()).succeedsWithin(WAIT);
  }

  @Test
  void aFunctionBoundThroughATriggerTypeRefFailsWhenItsTriggerIsRefused() {
    III client = client();
    TriggerTypeRef webhook =
        client.registerTriggerType("webhook", "Webhooks", new RecordingHandler());
    FunctionRef bound = webhook.registerFunction("hooks::on", input -> "ok", Map.of("path", 1));
    connect(client);
    Conn conn = engine.awaitConnection(0);
    JsonNode trigger =
        conn.awaitFrame(
            frame ->
                frame.path("type").asString("").equals("registertrigger")
                    && frame.path("function_id").asString("").equals("hooks::on"));

    conn.send(
        "{\"type\":\"triggerregistrationresult\",\"id\":\""
            + trigger.get("id").asString()
            + "\",\"trigger_type\":\"webhook\",\"function_id\":\"hooks::on\","
            + "\"error\":{\"code\":\"trigger_registration_failed\",\"message\":\"bad path\"}}");

    IIIException refused = failure(bound.status());
    assertThat(refused.errorMessage()).isEqualTo("bad path");
  }
}
