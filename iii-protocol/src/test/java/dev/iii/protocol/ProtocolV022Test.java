package dev.iii.protocol;

import static dev.iii.protocol.Wire.ID;
import static dev.iii.protocol.Wire.json;
import static dev.iii.protocol.Wire.keys;
import static dev.iii.protocol.Wire.q;
import static dev.iii.protocol.Wire.raw;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The frames and built-in outputs added after v0.9.0, as the official engine writes them at v0.22.1
 * ({@code engine/src/protocol.rs}, {@code workers/engine_fn/mod.rs}) and v0.23.0-rc.4.
 */
class ProtocolV022Test {

  private final MessageCodec codec = MessageCodec.instance();

  private Message decode(String singleQuoted) {
    return codec.decode(q(singleQuoted));
  }

  @Test
  void workerRegisteredCarriesTheReattachTokenAndStillReadsWithout() {
    assertThat(decode("{'type':'workerregistered','worker_id':'w1','reattach_token':'s3cret'}"))
        .isEqualTo(new WorkerRegistered("w1", "s3cret"));
    assertThat(decode("{'type':'workerregistered','worker_id':'w1'}"))
        .isEqualTo(new WorkerRegistered("w1", null));
    assertThat(codec.encode(new WorkerRegistered("w1")))
        .isEqualTo(q("{'type':'workerregistered','worker_id':'w1'}"));
  }

  @Test
  void reattachIsWrittenAsTheEngineReadsIt() {
    assertThat(codec.encode(new Reattach("w0", "s3cret")))
        .isEqualTo(q("{'type':'reattach','previous_worker_id':'w0','reattach_token':'s3cret'}"));
    assertThat(decode("{'type':'reattach','previous_worker_id':'w0'}"))
        .isEqualTo(new Reattach("w0", null));
  }

  @Test
  void invokeFunctionCarriesMetadataAndNamespaceAfterTheOlderFields() {
    InvokeFunction call =
        new InvokeFunction(
            ID, "f", raw("{\"a\":1}"), null, null, null, raw("{\"tenant\":\"t1\"}"), "orders");

    String frame = codec.encode(call);

    assertThat(keys(frame))
        .containsExactly("type", "invocation_id", "function_id", "data", "metadata", "namespace");
    assertThat(json(frame).get("metadata")).isEqualTo(json("{\"tenant\":\"t1\"}"));
    assertThat(codec.decode(frame)).isEqualTo(call);
    assertThat(codec.encode(new InvokeFunction(ID, "f", raw("1")))).doesNotContain("metadata");
  }

  @Test
  void enqueueActionNamesItsQueue() {
    String frame =
        codec.encode(
            new InvokeFunction(ID, "f", raw("1"), null, null, InvocationAction.enqueue("q")));

    assertThat(json(frame).get("action")).isEqualTo(json(q("{'type':'enqueue','queue':'q'}")));
  }

  @Test
  void registerTriggerCarriesMetadataAndReadsTheNamespaces() {
    RegisterTrigger trigger =
        new RegisterTrigger(
            "t1", "cron", "f", json("{\"expression\":\"* * * * * *\"}"), json("{\"k\":1}"));

    String frame = codec.encode(trigger);

    assertThat(keys(frame))
        .containsExactly("type", "id", "trigger_type", "function_id", "config", "metadata");
    assertThat(codec.decode(frame)).isEqualTo(trigger);
    assertThat(
            decode(
                "{'type':'registertrigger','id':'t','trigger_type':'http','function_id':'f',"
                    + "'config':null,'metadata':null,'namespace':'n','trigger_namespace':'tn'}"))
        .isEqualTo(new RegisterTrigger("t", "http", "f", json("null"), null, "n", "tn"));
  }

  @Test
  void registerTriggerTypeCarriesItsFormats() {
    RegisterTriggerType type =
        new RegisterTriggerType(
            "webhook", "hooks", json("{\"type\":\"object\"}"), json("{\"type\":\"string\"}"), null);

    String frame = codec.encode(type);

    assertThat(keys(frame))
        .containsExactly(
            "type", "id", "description", "trigger_request_format", "call_request_format");
    assertThat(codec.decode(frame)).isEqualTo(type);
    assertThat(codec.encode(new RegisterTriggerType("webhook", "hooks")))
        .isEqualTo(q("{'type':'registertriggertype','id':'webhook','description':'hooks'}"));
  }

  @Test
  void theAccessControlErrorFrameIsAMessage() {
    assertThat(decode("{'type':'error','error':{'code':'AUTH_ERROR','message':'invalid token'}}"))
        .isEqualTo(new EngineError(new ErrorBody("AUTH_ERROR", "invalid token")));
  }

  @Test
  void registrationRejectedReadsWithOnlyItsCodeAndDescribesItself() {
    RegistrationRejected full =
        (RegistrationRejected)
            decode(
                "{'type':'registrationrejected','code':'FUNCTION_NAMESPACE_CONFLICT',"
                    + "'namespace':'orders','function_id':'orders::place','owner_worker_id':'w9'}");

    assertThat(full.describe())
        .isEqualTo(
            "FUNCTION_NAMESPACE_CONFLICT: function 'orders::place' in namespace 'orders'"
                + " is held by worker w9");
    assertThat(decode("{'type':'registrationrejected','code':'X'}"))
        .isEqualTo(new RegistrationRejected("X", null, null, null, null));
  }

  @Test
  void functionRowsOfEveryEraReadIntoOneRecordAndAreWrittenAsTheSuperset() throws Exception {
    var mapper = codec.mapper();
    FunctionInfo v09 =
        mapper.readValue(
            q(
                "{'function_id':'f','description':'d','request_format':{'type':'object'},"
                    + "'response_format':null,'metadata':null}"),
            FunctionInfo.class);
    FunctionInfo v022 =
        mapper.readValue(
            q("{'function_id':'f','worker_name':'w','metadata':{'a':1},'namespace':'n'}"),
            FunctionInfo.class);

    assertThat(v09.requestFormat()).isEqualTo(Map.of("type", "object"));
    assertThat(v022.workerName()).isEqualTo("w");
    assertThat(v022.namespace()).isEqualTo("n");
    assertThat(keys(mapper.writeValueAsString(new FunctionInfo("f", "d", null, null, null))))
        .containsExactly(
            "function_id",
            "worker_name",
            "description",
            "request_format",
            "response_format",
            "metadata");
  }

  @Test
  void workerRowsOfEveryEraReadIntoOneRecord() throws Exception {
    var mapper = codec.mapper();
    WorkerInfo v022 =
        mapper.readValue(
            q(
                "{'name':'api','description':'orders API','version':'0.22.1','id':'w1',"
                    + "'runtime':'node','os':'linux','status':'connected','function_count':2,"
                    + "'connected_at_ms':5,'active_invocations':0,'isolation':null,"
                    + "'ip_address':'127.0.0.1'}"),
            WorkerInfo.class);

    assertThat(v022.description()).isEqualTo("orders API");
    assertThat(v022.functions()).isEmpty();
    assertThat(v022.pid()).isNull();
    assertThat(keys(mapper.writeValueAsString(v022)))
        .doesNotContain("pid", "internal", "namespace")
        .contains("functions", "description", "isolation", "latest_metrics");
  }

  @Test
  void workerDetailReadsTheOfficialInfoShape() throws Exception {
    WorkerDetail detail =
        codec
            .mapper()
            .readValue(
                q(
                    "{'worker':{'name':'api','description':null,'version':'1','id':'w1',"
                        + "'runtime':'node','os':'linux','status':'connected','function_count':1,"
                        + "'connected_at_ms':5,'active_invocations':0,'isolation':null,"
                        + "'ip_address':null,'pid':42,'internal':false,"
                        + "'latest_metrics':{'timestamp_ms':9,'runtime':'node'}},"
                        + "'functions':[{'function_id':'f','worker_name':'api'}],"
                        + "'trigger_types':[{'id':'tt','worker_name':'api','description':'d'}],"
                        + "'registered_triggers':[{'id':'t1','trigger_type':'tt','function_id':'f',"
                        + "'worker_name':'api','config':{},'config_summary':'{}'}]}"),
                WorkerDetail.class);

    assertThat(detail.worker().pid()).isEqualTo(42L);
    assertThat(detail.worker().internal()).isFalse();
    assertThat(detail.worker().latestMetrics()).containsEntry("timestamp_ms", 9);
    assertThat(detail.functions()).extracting(FunctionInfo::functionId).containsExactly("f");
    assertThat(detail.triggerTypes()).containsExactly(TriggerTypeInfo.summary("tt", "api", "d"));
    assertThat(detail.registeredTriggers())
        .extracting(RegisteredTriggerInfo::configSummary)
        .containsExactly("{}");
  }

  @Test
  void functionDetailReadsSchemasAndBindings() throws Exception {
    FunctionDetail detail =
        codec
            .mapper()
            .readValue(
                q(
                    "{'function_id':'f','worker_name':'api','request_schema':{'type':'object'},"
                        + "'registered_triggers':[{'id':'t1','trigger_type':'http',"
                        + "'config':{'api_path':'a'}}]}"),
                FunctionDetail.class);

    assertThat(detail.requestSchema()).isEqualTo(Map.of("type", "object"));
    assertThat(detail.registeredTriggers())
        .containsExactly(new FunctionDetail.TriggerBinding("t1", "http", Map.of("api_path", "a")));
    assertThat(new FunctionDetail("f", null, "api", null, null, null, null, List.of()).metadata())
        .isNull();
  }
}
