package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The exact text of what {@code engine::functions::list} and {@code engine::workers::list} write
 * per function and per worker (the protocol records {@code FunctionInfo} and {@code WorkerInfo}):
 * the superset of the official v0.9 and v0.22 rows, every key present.
 */
class BuiltinShapesTest extends EngineTestSupport {

  @Test
  void functionInfoIsWrittenWithTheSupersetKeysInOrder() {
    RawWorker a = connect();
    registerFunction(a, "a::plain");
    a.sendAndSync(
        json(
            "{'type':'registerfunction','id':'a::full','description':'d',"
                + "'request_format':{'type':'object','n':1.5},'response_format':[1,null],"
                + "'metadata':{'x':null}}"));

    assertThat(RawWorker.MAPPER.writeValueAsString(functionInfo(a, "a::plain")))
        .isEqualTo(
            json(
                "{'function_id':'a::plain','worker_name':'a','description':null,"
                    + "'request_format':null,'response_format':null,'metadata':null}"));
    assertThat(RawWorker.MAPPER.writeValueAsString(functionInfo(a, "a::full")))
        .isEqualTo(
            json(
                "{'function_id':'a::full','worker_name':'a','description':'d',"
                    + "'request_format':{'type':'object','n':1.5},'response_format':[1,null],"
                    + "'metadata':{'x':null}}"));
  }

  @Test
  void workerInfoIsWrittenWithTheSupersetKeysInOrderWithPidLastOnceKnown() {
    RawWorker a = connect();
    registerFunction(a, "a::one");
    JsonNode before = ownInfo(a);
    a.sendAndSync(
        json(
            "{'type':'invokefunction','function_id':'engine::workers::register','data':"
                + "{'runtime':'java','version':'1','name':'n','os':'linux','pid':42,"
                + "'description':'does things','isolation':'vm'}}"));
    JsonNode after = ownInfo(a);

    assertThat(RawWorker.MAPPER.writeValueAsString(before))
        .isEqualTo(
            json("{'id':'%s','name':null,'description':null,'runtime':null,'version':null,"
                    + "'os':null,'ip_address':'127.0.0.1','status':'connected',"
                    + "'connected_at_ms':%d,'function_count':1,'functions':['a::one'],"
                    + "'active_invocations':0,'isolation':null,'latest_metrics':null}")
                .formatted(a.workerId(), before.path("connected_at_ms").asLong()));
    assertThat(RawWorker.MAPPER.writeValueAsString(after))
        .isEqualTo(
            json("{'id':'%s','name':'n','description':'does things','runtime':'java',"
                    + "'version':'1','os':'linux','ip_address':'127.0.0.1','status':'connected',"
                    + "'connected_at_ms':%d,'function_count':1,'functions':['a::one'],"
                    + "'active_invocations':0,'isolation':'vm','latest_metrics':null,'pid':42}")
                .formatted(a.workerId(), before.path("connected_at_ms").asLong()));
  }

  @Test
  void activeInvocationsCountsCallsAWorkerMakesOrHandles() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::slow");
    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::slow','data':{}}")
            .formatted(uuid()));
    JsonNode invocation = b.awaitInvocation("b::slow");

    assertThat(ownInfo(a).path("active_invocations").asInt()).isEqualTo(1);
    assertThat(ownInfo(b).path("active_invocations").asInt()).isEqualTo(1);

    b.reply(invocation, "1");
    a.awaitResult(invocation.path("invocation_id").asString());
    assertThat(ownInfo(a).path("active_invocations").asInt()).isZero();
    assertThat(ownInfo(b).path("active_invocations").asInt()).isZero();
  }

  /** The worker's own row; by {@code worker_id}, which also lists a worker without a pid. */
  private static JsonNode ownInfo(RawWorker worker) {
    return workerInfo(
        worker.callResult(
            "engine::workers::list", json("{'worker_id':'%s'}").formatted(worker.workerId())),
        worker.workerId());
  }

  private static JsonNode workerInfo(JsonNode list, String workerId) {
    for (JsonNode info : list.path("workers")) {
      if (workerId.equals(info.path("id").asString())) {
        return info;
      }
    }
    throw new AssertionError("worker " + workerId + " not listed: " + list);
  }
}
