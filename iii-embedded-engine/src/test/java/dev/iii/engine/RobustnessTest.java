package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Proves that nothing a worker sends can break its connection or the engine: malformed JSON,
 * unknown types, messages missing required fields, empty frames, binary protocol frames and
 * telemetry frames are handled or dropped (never logged as errors), and the same connection keeps
 * working afterwards; a call or result that cannot be read but names its invocation ends that
 * invocation ({@code invalid_message}, {@code invalid_result}) rather than leaving it to a timeout.
 * Also covers application and WebSocket ping.
 */
class RobustnessTest extends EngineTestSupport {

  private EngineLogCapture logs;

  @BeforeEach
  void captureLogs() {
    logs = new EngineLogCapture();
  }

  @AfterEach
  void stopCapturing() {
    logs.close();
  }

  @Test
  void pingIsAnsweredWithPong() {
    RawWorker a = connect();

    a.send(json("{'type':'ping'}"));

    assertThat(a.awaitType("pong")).isEqualTo(parse(json("{'type':'pong'}")));
  }

  @Test
  void webSocketPingIsAnsweredWithPongOfTheSamePayload() {
    RawWorker a = connect();

    a.sendWsPing("are you there".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(a.awaitWsPong(), StandardCharsets.UTF_8)).isEqualTo("are you there");
    assertStillWorks(a);
  }

  static Stream<Arguments> malformedTextFrames() {
    return Stream.of(
        Arguments.of("invalid JSON", "this is not json"),
        Arguments.of("truncated JSON", "{\"type\":\"invokefunction\","),
        Arguments.of("JSON array", "[1,2,3]"),
        Arguments.of("JSON string", "\"ping\""),
        Arguments.of("JSON number", "42"),
        Arguments.of("JSON null", "null"),
        Arguments.of("object without type", "{\"id\":\"x\"}"),
        Arguments.of("non-string type", "{\"type\":42}"),
        Arguments.of("unknown type", "{\"type\":\"reattach\",\"token\":\"t\"}"),
        Arguments.of("wrong-case type", "{\"type\":\"Ping\"}"),
        Arguments.of("registerfunction without id", "{\"type\":\"registerfunction\"}"),
        Arguments.of(
            "invocationresult without function_id",
            "{\"type\":\"invocationresult\",\"invocation_id\":\"" + uuid() + "\",\"result\":1}"),
        Arguments.of(
            "invocationresult for an unknown invocation",
            "{\"type\":\"invocationresult\",\"invocation_id\":\""
                + uuid()
                + "\",\"function_id\":\"x\",\"result\":1}"),
        Arguments.of(
            "unregistertrigger for an unknown trigger",
            "{\"type\":\"unregistertrigger\",\"id\":\"nope\"}"),
        Arguments.of(
            "workerregistered from a worker",
            "{\"type\":\"workerregistered\",\"worker_id\":\"" + uuid() + "\"}"),
        Arguments.of("pong from a worker", "{\"type\":\"pong\"}"),
        Arguments.of(
            "invokefunction with a numeric invocation_id",
            "{\"type\":\"invokefunction\",\"invocation_id\":7,"
                + "\"function_id\":\"engine::functions::list\",\"data\":{}}"),
        Arguments.of("empty text frame", ""),
        Arguments.of("blank text frame", "  \n\t "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedTextFrames")
  void malformedTextFrameIsDroppedAndTheConnectionKeepsWorking(String what, String frame) {
    RawWorker a = connect();

    a.send(frame);

    assertThat(a.drain()).as("no answer to %s", what).isEmpty();
    assertStillWorks(a);
    assertThat(logs.errors()).as("errors logged for %s", what).isEmpty();
  }

  static Stream<Arguments> unreadableCalls() {
    return Stream.of(
        Arguments.of("invokefunction without function_id", "'data':{}"),
        Arguments.of("invokefunction with a numeric function_id", "'function_id':42,'data':{}"),
        Arguments.of("invokefunction without data", "'function_id':'b::f'"),
        Arguments.of(
            "data nested 5000 levels deep",
            "'function_id':'engine::functions::list','data':"
                + "[".repeat(5000)
                + "]".repeat(5000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableCalls")
  void unreadableCallWithAnIdIsAnsweredInvalidMessage(String what, String fields) {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::f");
    String id = uuid();

    a.send(
        json("{'type':'invokefunction','invocation_id':'%s',").formatted(id) + json(fields) + "}");

    assertThat(a.awaitResult(id).path("error").path("code").asString())
        .as(what)
        .isEqualTo("invalid_message");
    assertThat(b.drain()).isEmpty();
    assertStillWorks(a);
    assertThat(logs.errors()).as("errors logged for %s", what).isEmpty();
  }

  @Test
  void invokeFunctionWithoutDataOrIdIsDropped() {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::f");

    a.send(json("{'type':'invokefunction','function_id':'b::f'}"));

    assertThat(a.drain()).isEmpty();
    assertThat(b.drain()).isEmpty();
    assertStillWorks(a);
  }

  @Test
  void registerTriggerWithoutConfigIsDropped() {
    RawWorker provider = connect();
    RawWorker a = connect();
    provider.sendAndSync(json("{'type':'registertriggertype','id':'custom','description':'d'}"));

    a.send(
        json("{'type':'registertrigger','id':'t1','trigger_type':'custom','function_id':'a::f'}"));

    assertThat(a.drain()).isEmpty();
    assertThat(provider.drain()).isEmpty();
    assertThat(a.callResult("engine::registered-triggers::list", "{}").path("registered_triggers"))
        .isEmpty();
  }

  @Test
  void registerTriggerTypeWithoutDescriptionIsDropped() {
    RawWorker provider = connect();
    RawWorker a = connect();
    provider.sendAndSync(json("{'type':'registertriggertype','id':'custom'}"));

    a.sendAndSync(
        json(
            "{'type':'registertrigger','id':'t1','trigger_type':'custom','function_id':'a::f',"
                + "'config':{}}"));

    assertThat(provider.drain()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"code\":\"only_code\"}", "\"boom\"", "{\"message\":\"no code\"}"})
  void resultWithAMalformedErrorEndsTheCallWithInvalidResult(String error) {
    RawWorker a = connect();
    RawWorker b = connect();
    registerFunction(b, "b::f");
    String id = uuid();
    a.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::f','data':{}}")
            .formatted(id));
    b.awaitInvocation("b::f");

    b.send(
        json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::f','error':%s}")
            .formatted(id, error));

    JsonNode answer = a.awaitResult(id);
    assertThat(answer.path("error").path("code").asString()).isEqualTo("invalid_result");
    assertThat(answer.path("error").path("message").asString()).contains("b::f");
    // A later, valid result finds nobody waiting.
    b.send(
        json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::f','result':7}")
            .formatted(id));
    assertThat(a.drain()).isEmpty();
    assertThat(logs.errors()).isEmpty();
  }

  // ------------------------------------------------------------ binary frames

  @Test
  void binaryFrameWithAProtocolMessageIsRoutedLikeText() {
    RawWorker a = connect();
    RawWorker b = connect();
    b.sendBinary(utf8(json("{'type':'registerfunction','id':'b::bin'}")));
    b.sendBinary(utf8(json("{'type':'ping'}")));
    b.awaitType("pong");
    String id = uuid();

    a.sendBinary(
        utf8(
            json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::bin','data':{}}")
                .formatted(id)));
    JsonNode invocation = b.awaitInvocation("b::bin");
    b.sendBinary(
        utf8(
            json("{'type':'invocationresult','invocation_id':'%s','function_id':'b::bin',"
                    + "'result':'via binary'}")
                .formatted(invocation.path("invocation_id").asString())));

    assertThat(a.awaitResult(id).path("result").asString()).isEqualTo("via binary");
  }

  static Stream<Arguments> junkBinaryFrames() {
    return Stream.of(
        Arguments.of("binary garbage", new byte[] {0, 1, 2, (byte) 0xff, 0x7f}),
        Arguments.of("binary invalid JSON", utf8("not json")),
        Arguments.of("short binary", utf8("OT")),
        Arguments.of("empty binary", new byte[0]),
        Arguments.of("OTLP garbage", utf8("OTLP{garbage")),
        Arguments.of("MTRC garbage", utf8("MTRCnot json at all")),
        Arguments.of("LOGS garbage", utf8("LOGS[1,2")),
        Arguments.of("LOGS prefix only", utf8("LOGS")),
        Arguments.of("LOGS invalid UTF-8", concat(utf8("LOGS"), new byte[] {(byte) 0xc3, 0x28})),
        Arguments.of("LOGS wrong shape", utf8("LOGS{\"resourceLogs\":42}")),
        Arguments.of("OTLP spans", utf8("OTLP" + SPANS)),
        Arguments.of("MTRC metrics", utf8("MTRC" + METRICS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("junkBinaryFrames")
  void binaryFrameIsAcceptedOrDroppedAndTheConnectionKeepsWorking(String what, byte[] frame) {
    RawWorker a = connect();

    a.sendBinary(frame);

    assertThat(a.drain()).as("no answer to %s", what).isEmpty();
    assertStillWorks(a);
    assertThat(logs.errors()).as("errors logged for %s", what).isEmpty();
  }

  @Test
  void logsFrameRecordsShowUpInRecentLogRecords() {
    RawWorker a = connect();

    a.sendBinary(utf8("LOGS" + LOGS));
    a.sync();

    assertThat(engine.recentLogRecords())
        .anySatisfy(
            record ->
                assertThat(record.path("body").path("stringValue").asString())
                    .isEqualTo("hello from a raw worker"));
    assertStillWorks(a);
  }

  @Test
  void manyMalformedFramesInARowDoNotDisturbOtherWorkers() {
    RawWorker noisy = connect();
    RawWorker b = connect();
    RawWorker c = connect();
    registerFunction(b, "b::f");

    for (int i = 0; i < 200; i++) {
      noisy.send("{broken " + i);
      noisy.sendBinary(utf8("LOGS{" + i));
    }
    String id = uuid();
    c.send(
        json("{'type':'invokefunction','invocation_id':'%s','function_id':'b::f','data':{}}")
            .formatted(id));
    b.reply(b.awaitInvocation("b::f"), "\"fine\"");

    assertThat(c.awaitResult(id).path("result").asString()).isEqualTo("fine");
    assertStillWorks(noisy);
  }

  // ------------------------------------------------------------ helpers

  /** The connection answers a ping and a call. */
  private static void assertStillWorks(RawWorker worker) {
    worker.sync();
    assertThat(worker.callResult("engine::functions::list", "{}").has("functions")).isTrue();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static final String SPANS =
      "{\"resourceSpans\":[{\"resource\":{\"attributes\":[]},\"scopeSpans\":[{\"scope\":"
          + "{\"name\":\"t\"},\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
          + "\"spanId\":\"b7ad6b7169203331\",\"name\":\"s\",\"kind\":1,"
          + "\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}]}]}]}";

  private static final String METRICS =
      "{\"resourceMetrics\":[{\"resource\":{},\"scopeMetrics\":[{\"scope\":{\"name\":\"t\"},"
          + "\"metrics\":[{\"name\":\"iii.worker.cpu.percent\",\"gauge\":{\"dataPoints\":"
          + "[{\"asDouble\":1.5,\"timeUnixNano\":\"1\",\"attributes\":[{\"key\":\"worker.id\","
          + "\"value\":{\"stringValue\":\"x\"}}]}]}}]}]}]}";

  private static final String LOGS =
      "{\"resourceLogs\":[{\"resource\":{},\"scopeLogs\":[{\"scope\":{\"name\":\"t\"},"
          + "\"logRecords\":[{\"timeUnixNano\":\"1\",\"severityNumber\":9,"
          + "\"severityText\":\"INFO\",\"body\":{\"stringValue\":\"hello from a raw worker\"}}]}]}]}";
}
