package dev.iii.protocol;

import static dev.iii.protocol.Wire.ID;
import static dev.iii.protocol.Wire.TRACEPARENT;
import static dev.iii.protocol.Wire.json;
import static dev.iii.protocol.Wire.q;
import static dev.iii.protocol.Wire.raw;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/** Decoding of the official frame shapes (worker-protocol.md §2, §3, §10.2, §13, §15). */
class MessageCodecDecodeTest {

  private final MessageCodec codec = MessageCodec.instance();

  private Message decode(String singleQuoted) {
    return codec.decode(q(singleQuoted));
  }

  // --- §3.1 registerfunction ---------------------------------------------------------------

  @Test
  void decodesRegisterFunctionExample() {
    Message m =
        decode(
            "{'type':'registerfunction','id':'math::add','description':'adds','metadata':{'v':1}}");

    assertThat(m).isEqualTo(new RegisterFunction("math::add", "adds", json("{\"v\":1}")));
    assertThat(m.type()).isEqualTo("registerfunction");
  }

  @Test
  void decodesRegisterFunctionWithFormatsAndHttpInvocation() {
    Message m =
        decode(
            "{'type':'registerfunction','id':'ext::hook','request_format':{'type':'object'},"
                + "'response_format':{'type':'string'},'invocation':{'url':'http://localhost:9/x',"
                + "'method':'POST','timeout_ms':1000,'headers':{},'auth':{'type':'bearer',"
                + "'token_key':'TOKEN'}}}");

    assertThat(m)
        .isEqualTo(
            new RegisterFunction(
                "ext::hook",
                null,
                json("{\"type\":\"object\"}"),
                json("{\"type\":\"string\"}"),
                null,
                json(
                    q(
                        "{'url':'http://localhost:9/x','method':'POST','timeout_ms':1000,"
                            + "'headers':{},'auth':{'type':'bearer','token_key':'TOKEN'}}"))));
  }

  @Test
  void decodesRegisterFunctionAsSentByPythonWithTypeLast() {
    // §10.2: PY dumps the model fields first and the type tag last.
    Message m = decode("{'id':'f','description':'d','metadata':{'k':1},'type':'registerfunction'}");

    assertThat(m).isEqualTo(new RegisterFunction("f", "d", json("{\"k\":1}")));
  }

  // --- §3.2 unregisterfunction -------------------------------------------------------------

  @Test
  void decodesUnregisterFunction() {
    assertThat(decode("{'type':'unregisterfunction','id':'math::add'}"))
        .isEqualTo(new UnregisterFunction("math::add"));
  }

  // --- §3.3 registerservice ----------------------------------------------------------------

  @Test
  void decodesRegisterServiceExample() {
    assertThat(decode("{'type':'registerservice','id':'billing','name':'billing'}"))
        .isEqualTo(new RegisterService("billing", "billing", null, null));
  }

  @Test
  void decodesRegisterServiceWithoutNameAsSentByTheSdks() {
    // §3.3: PY/NODE 0.4.1 send {id, description?, parent_service_id?} without a name.
    Message m =
        decode(
            "{'type':'registerservice','id':'billing.invoices','description':'Invoices',"
                + "'parent_service_id':'billing'}");

    assertThat(m).isEqualTo(new RegisterService("billing.invoices", null, "Invoices", "billing"));
  }

  // --- §3.4 invokefunction -----------------------------------------------------------------

  @Test
  void decodesInvokeFunctionExample() {
    Message m =
        decode(
            "{'type':'invokefunction','invocation_id':'"
                + ID
                + "','function_id':'math::add','data':{'a':1,'b':2},'traceparent':'"
                + TRACEPARENT
                + "'}");

    assertThat(m)
        .isEqualTo(
            new InvokeFunction(ID, "math::add", raw("{\"a\":1,\"b\":2}"), TRACEPARENT, null, null));
  }

  @Test
  void decodesInvokeFunctionFromEngineWithBaggage() {
    Message m =
        decode(
            "{'type':'invokefunction','invocation_id':'"
                + ID
                + "','function_id':'jobs::tick','data':[1,'two',null],'traceparent':'"
                + TRACEPARENT
                + "','baggage':'userId=alice'}");

    assertThat(m)
        .isEqualTo(
            new InvokeFunction(
                ID, "jobs::tick", raw("[1,\"two\",null]"), TRACEPARENT, "userId=alice", null));
  }

  @Test
  void decodesFireAndForgetInvokeFunctionWithoutInvocationId() {
    InvokeFunction m =
        (InvokeFunction)
            decode(
                "{'type':'invokefunction','function_id':'engine::workers::register',"
                    + "'data':{'runtime':'node'}}");

    assertThat(m.invocationId()).isNull();
    assertThat(m.functionId()).isEqualTo("engine::workers::register");
    assertThat(m.data()).isEqualTo(raw("{\"runtime\":\"node\"}"));
    assertThat(m.expectsResult()).isFalse();
  }

  @Test
  void decodesInvokeFunctionAsSentByPythonWithTypeLast() {
    Message m =
        decode(
            "{'function_id':'f','data':{'a':1},'invocation_id':'"
                + ID
                + "','type':'invokefunction'}");

    assertThat(m).isEqualTo(new InvokeFunction(ID, "f", raw("{\"a\":1}")));
  }

  @Test
  void decodesInvokeFunctionWithExplicitNullDataAsTheNullPayload() {
    InvokeFunction m =
        (InvokeFunction) decode("{'type':'invokefunction','function_id':'f','data':null}");

    assertThat(m.data()).isSameAs(RawJson.NULL);
  }

  @Test
  void decodesScalarData() {
    assertThat(
            ((InvokeFunction) decode("{'type':'invokefunction','function_id':'f','data':42}"))
                .data())
        .isEqualTo(raw("42"));
    assertThat(
            ((InvokeFunction) decode("{'type':'invokefunction','function_id':'f','data':'s'}"))
                .data())
        .isEqualTo(raw("\"s\""));
  }

  @Test
  void decodesVoidAction() {
    // §13.1: newer SDKs send action {"type":"void"} or {"type":"enqueue","queue":…}.
    InvokeFunction m =
        (InvokeFunction)
            decode(
                "{'type':'invokefunction','invocation_id':'"
                    + ID
                    + "','function_id':'f','data':null,'action':{'type':'void'}}");

    assertThat(m.action()).isEqualTo(InvocationAction.VOID);
    assertThat(m.action().isVoid()).isTrue();
    assertThat(m.expectsResult()).isFalse();
  }

  @Test
  void decodesEnqueueAction() {
    InvokeFunction m =
        (InvokeFunction)
            decode(
                "{'type':'invokefunction','invocation_id':'"
                    + ID
                    + "','function_id':'f','data':{},'action':{'type':'enqueue','queue':'jobs'}}");

    assertThat(m.action()).isEqualTo(new InvocationAction("enqueue", "jobs"));
    assertThat(m.action().isVoid()).isFalse();
    assertThat(m.expectsResult()).isTrue();
  }

  @Test
  void decodesInvokeFunctionWithNewerEngineExtras() {
    // v0.22 metadata and v0.23 namespace are read (0.8.3 ignored them).
    Message m =
        decode(
            "{'type':'invokefunction','invocation_id':'"
                + ID
                + "','function_id':'f','data':1,'metadata':{'m':1},'namespace':'default'}");

    assertThat(m)
        .isEqualTo(
            new InvokeFunction(ID, "f", raw("1"), null, null, null, raw("{\"m\":1}"), "default"));
  }

  // --- §3.5 invocationresult ---------------------------------------------------------------

  @Test
  void decodesInvocationResultSuccessExample() {
    Message m =
        decode(
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'math::add','result':3}");

    assertThat(m).isEqualTo(InvocationResult.success(ID, "math::add", raw("3")));
  }

  @Test
  void decodesInvocationResultErrorExample() {
    Message m =
        decode(
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'math::add',"
                + "'error':{'code':'invocation_failed','message':'boom'}}");

    assertThat(m)
        .isEqualTo(
            InvocationResult.failure(ID, "math::add", new ErrorBody("invocation_failed", "boom")));
  }

  @Test
  void decodesInvocationResultWithoutResultAsNoResult() {
    InvocationResult m =
        (InvocationResult)
            decode("{'type':'invocationresult','invocation_id':'" + ID + "','function_id':'f'}");

    assertThat(m.result()).isNull();
    assertThat(m.error()).isNull();
  }

  @Test
  void keepsErrorStacktraceAsTheTargetEngineDoes() {
    // README: v0.9.0 keeps error.stacktrace (NPM090 sends it).
    InvocationResult m =
        (InvocationResult)
            decode(
                "{'type':'invocationresult','invocation_id':'"
                    + ID
                    + "','function_id':'f','error':{'code':'invocation_failed','message':'boom',"
                    + "'stacktrace':'Error: boom\\n    at f (x.js:1:1)'}}");

    assertThat(m.error())
        .isEqualTo(new ErrorBody("invocation_failed", "boom", "Error: boom\n    at f (x.js:1:1)"));
  }

  @Test
  void decodesInvocationResultWithBothResultAndError() {
    // §3.5: both may be present; the engine lets error win. The codec keeps both.
    InvocationResult m =
        (InvocationResult)
            decode(
                "{'type':'invocationresult','invocation_id':'"
                    + ID
                    + "','function_id':'f','result':1,'error':{'code':'c','message':'m'},"
                    + "'traceparent':'"
                    + TRACEPARENT
                    + "','baggage':'k=v'}");

    assertThat(m)
        .isEqualTo(
            new InvocationResult(ID, "f", raw("1"), new ErrorBody("c", "m"), TRACEPARENT, "k=v"));
  }

  // --- §3.6 registertriggertype / §3.12 unregistertriggertype -------------------------------

  @Test
  void decodesRegisterTriggerTypeExample() {
    assertThat(
            decode(
                "{'type':'registertriggertype','id':'my-webhook','description':'Webhook trigger'}"))
        .isEqualTo(new RegisterTriggerType("my-webhook", "Webhook trigger"));
  }

  @Test
  void decodesRegisterTriggerTypeWithNewerEngineExtras() {
    Message m =
        decode(
            "{'type':'registertriggertype','id':'t','description':'d',"
                + "'trigger_request_format':{},'call_request_format':{},'namespace':'n'}");

    assertThat(m).isEqualTo(new RegisterTriggerType("t", "d", json("{}"), json("{}"), "n"));
  }

  @Test
  void decodesUnregisterTriggerTypeWhichWeSupport() {
    // §3.12: sent by PY and NODE; 0.8.3 drops it, we decode it.
    assertThat(decode("{'type':'unregistertriggertype','id':'my-webhook'}"))
        .isEqualTo(new UnregisterTriggerType("my-webhook"));
  }

  // --- §3.7 registertrigger ----------------------------------------------------------------

  @Test
  void decodesRegisterTriggerExample() {
    Message m =
        decode(
            "{'type':'registertrigger','id':'5b1d7a4e-0c1f-4d5a-9a8e-2f1e3d4c5b6a',"
                + "'trigger_type':'cron','function_id':'jobs::tick',"
                + "'config':{'expression':'0 * * * * *'}}");

    assertThat(m)
        .isEqualTo(
            new RegisterTrigger(
                "5b1d7a4e-0c1f-4d5a-9a8e-2f1e3d4c5b6a",
                "cron",
                "jobs::tick",
                json("{\"expression\":\"0 * * * * *\"}")));
  }

  @Test
  void decodesRegisterTriggerWithExplicitNullConfigAsNullNode() {
    RegisterTrigger m =
        (RegisterTrigger)
            decode(
                "{'type':'registertrigger','id':'t1','trigger_type':'x','function_id':'f',"
                    + "'config':null}");

    assertThat(m.config()).isSameAs(NullNode.getInstance());
  }

  @Test
  void decodesRegisterTriggerAsSentByNodeWithMessageTypeAndNewerExtras() {
    // §10.2: NODE adds message_type; §13.1: metadata, namespace, trigger_namespace.
    Message m =
        decode(
            "{'message_type':'registertrigger','id':'t1','trigger_type':'http',"
                + "'function_id':'api::get','config':{'api_path':'/x','http_method':'GET'},"
                + "'metadata':{'a':1},'namespace':'default','trigger_namespace':'default',"
                + "'type':'registertrigger'}");

    assertThat(m)
        .isEqualTo(
            new RegisterTrigger(
                "t1",
                "http",
                "api::get",
                json("{\"api_path\":\"/x\",\"http_method\":\"GET\"}"),
                json("{\"a\":1}"),
                "default",
                "default"));
  }

  // --- §3.8 unregistertrigger --------------------------------------------------------------

  @Test
  void decodesUnregisterTriggerExample() {
    assertThat(decode("{'type':'unregistertrigger','id':'5b1d','trigger_type':'cron'}"))
        .isEqualTo(new UnregisterTrigger("5b1d", "cron"));
  }

  @Test
  void decodesUnregisterTriggerAsSentByPythonAndNode() {
    assertThat(decode("{'id':'t','type':'unregistertrigger','trigger_type':'cron'}"))
        .isEqualTo(new UnregisterTrigger("t", "cron"));
    assertThat(
            decode(
                "{'type':'unregistertrigger','message_type':'unregistertrigger','id':'t',"
                    + "'trigger_type':'cron'}"))
        .isEqualTo(new UnregisterTrigger("t", "cron"));
  }

  @Test
  void decodesUnregisterTriggerWithoutTriggerType() {
    assertThat(decode("{'type':'unregistertrigger','id':'t'}"))
        .isEqualTo(new UnregisterTrigger("t", null));
  }

  // --- §3.9 triggerregistrationresult ------------------------------------------------------

  @Test
  void decodesTriggerRegistrationResultExample() {
    assertThat(
            decode(
                "{'type':'triggerregistrationresult','id':'5b1d','trigger_type':'my-webhook',"
                    + "'function_id':'hooks::handle'}"))
        .isEqualTo(new TriggerRegistrationResult("5b1d", "my-webhook", "hooks::handle", null));
  }

  @Test
  void decodesTriggerRegistrationResultIgnoringResultAndMessageType() {
    Message m =
        decode(
            "{'type':'triggerregistrationresult','message_type':'triggerregistrationresult',"
                + "'id':'t','trigger_type':'x','function_id':'f','result':{'ok':true},"
                + "'error':{'code':'trigger_registration_failed','message':'bad config'}}");

    assertThat(m)
        .isEqualTo(
            new TriggerRegistrationResult(
                "t", "x", "f", new ErrorBody("trigger_registration_failed", "bad config")));
  }

  // --- §3.10 workerregistered, §3.11 ping / pong -------------------------------------------

  @Test
  void decodesWorkerRegistered() {
    assertThat(decode("{'type':'workerregistered','worker_id':'" + ID + "'}"))
        .isEqualTo(new WorkerRegistered(ID));
  }

  @Test
  void decodesWorkerRegisteredWithReattachToken() {
    assertThat(
            decode(
                "{'type':'workerregistered','worker_id':'" + ID + "','reattach_token':'secret'}"))
        .isEqualTo(new WorkerRegistered(ID, "secret"));
  }

  @Test
  void decodesPingAndPong() {
    assertThat(decode("{'type':'ping'}")).isEqualTo(new Ping());
    assertThat(decode("{'type':'pong'}")).isEqualTo(new Pong());
    assertThat(decode("{'type':'ping','extra':[1,2,3],'nested':{'a':{'b':null}}}"))
        .isEqualTo(new Ping());
  }

  @Test
  void ignoresWhitespaceAroundTheFrame() {
    assertThat(codec.decode(" \n\t{ \"type\" : \"ping\" }\r\n ")).isEqualTo(new Ping());
  }

  // --- §2: position of type, explicit null == absent ----------------------------------------

  static Stream<Arguments> typeAnywhere() {
    return Stream.of(
        Arguments.of("{'type':'unregisterfunction','id':'a'}"),
        Arguments.of("{'id':'a','type':'unregisterfunction'}"),
        Arguments.of("{'x':{'type':'ping'},'type':'unregisterfunction','y':[],'id':'a'}"));
  }

  @ParameterizedTest
  @MethodSource("typeAnywhere")
  void typeMayBeAnywhereInTheObject(String frame) {
    assertThat(decode(frame)).isEqualTo(new UnregisterFunction("a"));
  }

  @Test
  void typeMayFollowLargeNestedPayload() {
    Message m =
        decode(
            "{'function_id':'f','invocation_id':'"
                + ID
                + "','data':{'deep':{'type':'ping','list':[{'type':'pong'}]}},"
                + "'type':'invokefunction'}");

    assertThat(m)
        .isEqualTo(
            new InvokeFunction(
                ID, "f", raw(q("{'deep':{'type':'ping','list':[{'type':'pong'}]}}"))));
  }

  static Stream<Arguments> explicitNullEqualsAbsent() {
    return Stream.of(
        Arguments.of(
            "registerfunction",
            "{'type':'registerfunction','id':'f','description':null,'request_format':null,"
                + "'response_format':null,'metadata':null,'invocation':null}",
            "{'type':'registerfunction','id':'f'}"),
        Arguments.of(
            "registerservice",
            "{'type':'registerservice','id':'s','name':null,'description':null,"
                + "'parent_service_id':null}",
            "{'type':'registerservice','id':'s'}"),
        Arguments.of(
            "invokefunction",
            "{'type':'invokefunction','invocation_id':null,'function_id':'f','data':1,"
                + "'traceparent':null,'baggage':null,'action':null}",
            "{'type':'invokefunction','function_id':'f','data':1}"),
        Arguments.of(
            "invocationresult",
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','result':null,'error':null,'traceparent':null,"
                + "'baggage':null}",
            "{'type':'invocationresult','invocation_id':'" + ID + "','function_id':'f'}"),
        Arguments.of(
            "invocationresult error.stacktrace",
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','error':{'code':'c','message':'m','stacktrace':null}}",
            "{'type':'invocationresult','invocation_id':'"
                + ID
                + "','function_id':'f','error':{'code':'c','message':'m'}}"),
        Arguments.of(
            "unregistertrigger",
            "{'type':'unregistertrigger','id':'t','trigger_type':null}",
            "{'type':'unregistertrigger','id':'t'}"),
        Arguments.of(
            "triggerregistrationresult",
            "{'type':'triggerregistrationresult','id':'t','trigger_type':'x','function_id':'f',"
                + "'error':null}",
            "{'type':'triggerregistrationresult','id':'t','trigger_type':'x','function_id':'f'}"),
        Arguments.of(
            "invokefunction action.queue",
            "{'type':'invokefunction','function_id':'f','data':1,"
                + "'action':{'type':'void','queue':null}}",
            "{'type':'invokefunction','function_id':'f','data':1,'action':{'type':'void'}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("explicitNullEqualsAbsent")
  void explicitNullEqualsAbsentForOptionalFields(String name, String withNulls, String absent) {
    Message fromNulls = decode(withNulls);
    Message fromAbsent = decode(absent);

    assertThat(fromNulls)
        .as("%s: explicit nulls (%s) vs absent (%s)", name, withNulls, absent)
        .isEqualTo(fromAbsent);
    // Absent is re-encoded as absent, so both forms must also encode the same way.
    assertThat(codec.encode(fromNulls)).isEqualTo(codec.encode(fromAbsent));
  }

  @Test
  void explicitNullOptionalJsonFieldsDecodeToJavaNull() {
    // "Absent and null are the same" (§2, §3.5): callers should not have to check for both
    // Java null and NullNode.
    RegisterFunction f =
        (RegisterFunction)
            decode(
                "{'type':'registerfunction','id':'f','request_format':null,"
                    + "'response_format':null,'metadata':null,'invocation':null}");
    InvocationResult r =
        (InvocationResult)
            decode(
                "{'type':'invocationresult','invocation_id':'"
                    + ID
                    + "','function_id':'f','result':null}");

    assertThat(kind(f.requestFormat())).as("request_format").isEqualTo("Java null");
    assertThat(kind(f.responseFormat())).as("response_format").isEqualTo("Java null");
    assertThat(kind(f.metadata())).as("metadata").isEqualTo("Java null");
    assertThat(kind(f.invocation())).as("invocation").isEqualTo("Java null");
    assertThat(r.result()).as("result").isNull();
  }

  private static String kind(JsonNode node) {
    return node == null ? "Java null" : node.getClass().getSimpleName() + " " + node;
  }

  // --- §2: invocation_id forms ---------------------------------------------------------------

  static Stream<Arguments> acceptedUuidForms() {
    return Stream.of(
        Arguments.of("7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6"),
        Arguments.of("7C0E8F3A-1B2C-4D5E-8F90-A1B2C3D4E5F6"),
        Arguments.of("7c0e8f3a1b2c4d5e8f90a1b2c3d4e5f6"),
        Arguments.of("7C0E8F3A1B2C4D5E8F90A1B2C3D4E5F6"),
        Arguments.of("7c0E8f3A-1b2C-4d5E-8f90-A1b2C3d4E5f6"));
  }

  @ParameterizedTest
  @MethodSource("acceptedUuidForms")
  void acceptsUuidFormsAndNormalisesThem(String form) {
    InvokeFunction invoke =
        (InvokeFunction)
            decode(
                "{'type':'invokefunction','invocation_id':'"
                    + form
                    + "','function_id':'f','data':null}");
    InvocationResult result =
        (InvocationResult)
            decode("{'type':'invocationresult','invocation_id':'" + form + "','function_id':'f'}");

    assertThat(invoke.invocationId()).isEqualTo(ID);
    assertThat(result.invocationId()).isEqualTo(ID);
    assertThat(Wire.json(codec.encode(invoke)).get("invocation_id").asString()).isEqualTo(ID);
  }

  static Stream<Arguments> rustUuidParseStrForms() {
    // The engine deserialises invocation_id with the uuid crate's Uuid::parse_str, which also
    // accepts the braced (Microsoft GUID) and URN forms of a hyphenated UUID.
    return Stream.of(
        Arguments.of("{7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6}"),
        Arguments.of("urn:uuid:7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6"));
  }

  @ParameterizedTest
  @MethodSource("rustUuidParseStrForms")
  void acceptsBracedAndUrnUuidFormsLikeTheEngine(String form) {
    InvokeFunction invoke =
        (InvokeFunction)
            decode(
                "{'type':'invokefunction','invocation_id':'"
                    + form
                    + "','function_id':'f','data':null}");

    assertThat(invoke.invocationId()).isEqualTo(ID);
  }

  // --- binary frames (§1.3) --------------------------------------------------------------------

  @Test
  void decodesUtf8BinaryFrameWithNonAsciiText() {
    String frame =
        "{\"type\":\"invokefunction\",\"invocation_id\":\""
            + ID
            + "\",\"function_id\":\"grüße::größe\","
            + "\"data\":{\"text\":\"Grüße, 世界 — naïve café 🌍\",\"emoji\":\"\uD83D\uDE80\"}}";

    Message m = codec.decode(frame.getBytes(StandardCharsets.UTF_8));

    InvokeFunction invoke = (InvokeFunction) m;
    assertThat(invoke.functionId()).isEqualTo("grüße::größe");
    assertThat(invoke.data().toTree().get("text").asString())
        .isEqualTo("Grüße, 世界 — naïve café 🌍");
    assertThat(invoke.data().toTree().get("emoji").asString()).isEqualTo("🚀");
    assertThat(m).isEqualTo(codec.decode(frame));
  }

  @Test
  void decodesBinaryFrameWithEscapedUnicode() {
    byte[] frame =
        q("{'type':'registertriggertype','id':'t','description':'caf\\u00e9 \\ud83c\\udf0d'}")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(codec.decode(frame)).isEqualTo(new RegisterTriggerType("t", "café 🌍"));
  }
}
