package dev.iii.protocol;

import static dev.iii.protocol.Wire.ID;
import static dev.iii.protocol.Wire.TRACEPARENT;
import static dev.iii.protocol.Wire.json;
import static dev.iii.protocol.Wire.keys;
import static dev.iii.protocol.Wire.raw;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Encoded frames: {@code type} first, absent optionals omitted, required fields always sent. */
class MessageCodecEncodeTest {

  private final MessageCodec codec = MessageCodec.instance();

  private JsonNode encode(Message message) {
    return json(codec.encode(message));
  }

  static Stream<Arguments> minimalMessages() {
    return Stream.of(
        Arguments.of(new RegisterFunction("f", null, null), new String[] {"type", "id"}),
        Arguments.of(new UnregisterFunction("f"), new String[] {"type", "id"}),
        Arguments.of(
            new RegisterService("billing", "billing", null, null),
            new String[] {"type", "id", "name"}),
        Arguments.of(new RegisterTriggerType("t", "d"), new String[] {"type", "id", "description"}),
        Arguments.of(new UnregisterTriggerType("t"), new String[] {"type", "id"}),
        Arguments.of(
            new RegisterTrigger("t", "cron", "f", null),
            new String[] {"type", "id", "trigger_type", "function_id", "config"}),
        Arguments.of(
            new TriggerRegistrationResult("t", "x", "f", null),
            new String[] {"type", "id", "trigger_type", "function_id"}),
        Arguments.of(
            new InvokeFunction(null, "f", null), new String[] {"type", "function_id", "data"}),
        Arguments.of(
            InvocationResult.success(ID, "f", null),
            new String[] {"type", "invocation_id", "function_id"}),
        Arguments.of(new WorkerRegistered(ID), new String[] {"type", "worker_id"}),
        Arguments.of(new Ping(), new String[] {"type"}),
        Arguments.of(new Pong(), new String[] {"type"}));
  }

  @ParameterizedTest
  @MethodSource("minimalMessages")
  void absentOptionalFieldsAreOmitted(Message message, String[] expectedKeys) {
    String frame = codec.encode(message);

    assertThat(keys(frame)).as(frame).containsExactly(expectedKeys);
    assertThat(frame).doesNotContain(":null,").doesNotContain("\"description\":null");
  }

  static Stream<Message> fullMessages() {
    return Stream.of(
        new RegisterFunction(
            "f",
            "d",
            json("{\"type\":\"object\"}"),
            json("{\"type\":\"string\"}"),
            json("{\"v\":1}"),
            json("{\"url\":\"http://localhost:9/x\"}")),
        new UnregisterFunction("f"),
        new RegisterService("billing.invoices", "Invoices", "d", "billing"),
        new RegisterTriggerType("t", "d"),
        new UnregisterTriggerType("t"),
        new RegisterTrigger("t", "cron", "f", json("{\"expression\":\"0 * * * * *\"}")),
        new UnregisterTrigger("t", "cron"),
        new TriggerRegistrationResult("t", "x", "f", new ErrorBody("c", "m", "trace")),
        new InvokeFunction(
            ID, "f", raw("{\"a\":1}"), TRACEPARENT, "k=v", new InvocationAction("enqueue", "q")),
        new InvocationResult(
            ID, "f", raw("3"), new ErrorBody("c", "m", "trace"), TRACEPARENT, "k=v"),
        new WorkerRegistered(ID),
        new Ping(),
        new Pong());
  }

  @ParameterizedTest
  @MethodSource("fullMessages")
  void typeIsTheFirstKey(Message message) {
    String frame = codec.encode(message);

    assertThat(frame).startsWith("{\"type\":\"" + message.type() + "\"");
    assertThat(keys(frame).get(0)).isEqualTo("type");
    assertThat(keys(frame)).doesNotHaveDuplicates();
  }

  @Test
  void fullMessagesWriteEveryFieldWithItsWireName() {
    assertThat(
            keys(
                codec.encode(
                    new RegisterFunction(
                        "f",
                        "d",
                        json("{}"),
                        json("{}"),
                        json("{}"),
                        json("{\"url\":\"http://x\"}")))))
        .containsExactly(
            "type",
            "id",
            "description",
            "request_format",
            "response_format",
            "metadata",
            "invocation");
    assertThat(keys(codec.encode(new RegisterService("s", "n", "d", "p"))))
        .containsExactly("type", "id", "name", "description", "parent_service_id");
    assertThat(
            keys(
                codec.encode(
                    new InvokeFunction(
                        ID, "f", raw("1"), TRACEPARENT, "k=v", InvocationAction.VOID))))
        .containsExactly(
            "type", "invocation_id", "function_id", "data", "traceparent", "baggage", "action");
    assertThat(
            keys(
                codec.encode(
                    new InvocationResult(
                        ID, "f", raw("1"), new ErrorBody("c", "m"), TRACEPARENT, "k=v"))))
        .containsExactly(
            "type", "invocation_id", "function_id", "result", "error", "traceparent", "baggage");
    assertThat(keys(codec.encode(new UnregisterTrigger("t", "cron"))))
        .containsExactly("type", "id", "trigger_type");
    assertThat(
            keys(
                codec.encode(
                    new TriggerRegistrationResult("t", "x", "f", new ErrorBody("c", "m")))))
        .containsExactly("type", "id", "trigger_type", "function_id", "error");
  }

  @Test
  void pingAndPongAreExactlyTheTag() {
    assertThat(codec.encode(new Ping())).isEqualTo("{\"type\":\"ping\"}");
    assertThat(codec.encode(new Pong())).isEqualTo("{\"type\":\"pong\"}");
  }

  @Test
  void invokeFunctionExampleEncodesToTheSheetShape() {
    String frame =
        codec.encode(
            new InvokeFunction(ID, "math::add", raw("{\"a\":1,\"b\":2}"), TRACEPARENT, null, null));

    assertThat(frame)
        .isEqualTo(
            "{\"type\":\"invokefunction\",\"invocation_id\":\""
                + ID
                + "\",\"function_id\":\"math::add\",\"data\":{\"a\":1,\"b\":2},\"traceparent\":\""
                + TRACEPARENT
                + "\"}");
  }

  @Test
  void invokeFunctionAlwaysSendsData() {
    // §15: 0.8.3 drops an invokefunction without data; null is fine.
    JsonNode fromJavaNull = encode(new InvokeFunction(null, "f", null));
    JsonNode fromNullNode = encode(new InvokeFunction(ID, "f", RawJson.NULL));

    assertThat(fromJavaNull.has("data")).isTrue();
    assertThat(fromJavaNull.get("data").isNull()).isTrue();
    assertThat(fromJavaNull.has("invocation_id")).isFalse();
    assertThat(fromNullNode.has("data")).isTrue();
    assertThat(fromNullNode.get("data").isNull()).isTrue();
  }

  @Test
  void invokeFunctionNormalisesInvocationIdOnConstruction() {
    JsonNode frame = encode(new InvokeFunction("7C0E8F3A1B2C4D5E8F90A1B2C3D4E5F6", "f", null));

    assertThat(frame.get("invocation_id").asString()).isEqualTo(ID);
  }

  @Test
  void registerTriggerAlwaysSendsConfig() {
    JsonNode frame = encode(new RegisterTrigger("t", "cron", "f", null));

    assertThat(frame.has("config")).isTrue();
    assertThat(frame.get("config").isNull()).isTrue();
    assertThat(encode(new RegisterTrigger("t", "cron", "f", json("{}"))).get("config"))
        .isEqualTo(json("{}"));
  }

  @Test
  void registerTriggerTypeAlwaysSendsDescription() {
    assertThat(keys(codec.encode(new RegisterTriggerType("t", "")))).contains("description");
  }

  @Test
  void unregisterTriggerWithoutTriggerTypeIsAcceptedByTheEngine() {
    // §2: the engine itself writes "trigger_type":null; §3.8: it is an Option, so absent and
    // null both decode. Our codec omits it (see UnregisterTrigger's Javadoc, which says null).
    String frame = codec.encode(new UnregisterTrigger("t", null));
    JsonNode tree = json(frame);

    assertThat(keys(frame).get(0)).isEqualTo("type");
    assertThat(tree.get("id").isString()).isTrue();
    assertThat(!tree.has("trigger_type") || tree.get("trigger_type").isNull()).isTrue();
    assertThat(tree.has("trigger_type")).as("current behaviour: omitted").isFalse();
    assertThat(codec.decode(frame)).isEqualTo(new UnregisterTrigger("t", null));
  }

  @Test
  void invocationResultOmitsResultWhenNull() {
    JsonNode frame = encode(InvocationResult.success(ID, "f", null));

    assertThat(frame.has("result")).isFalse();
    assertThat(frame.has("error")).isFalse();
  }

  @Test
  void invocationResultWithNullNodeResultIsTheSameAsNoResult() {
    // A handler that returns null usually becomes NullNode via valueToTree; on the wire "no
    // result" is a single shape.
    assertThat(codec.encode(InvocationResult.success(ID, "f", RawJson.NULL)))
        .isEqualTo(codec.encode(InvocationResult.success(ID, "f", null)));
  }

  @Test
  void invocationResultKeepsFalsyResults() {
    assertThat(encode(InvocationResult.success(ID, "f", raw("0"))).get("result"))
        .isEqualTo(json("0"));
    assertThat(encode(InvocationResult.success(ID, "f", raw("false"))).get("result"))
        .isEqualTo(json("false"));
    assertThat(encode(InvocationResult.success(ID, "f", raw("\"\""))).get("result"))
        .isEqualTo(json("\"\""));
    assertThat(encode(InvocationResult.success(ID, "f", raw("{}"))).get("result"))
        .isEqualTo(json("{}"));
    assertThat(encode(InvocationResult.success(ID, "f", raw("[]"))).get("result"))
        .isEqualTo(json("[]"));
  }

  @Test
  void errorOmitsStacktraceWhenNull() {
    JsonNode frame =
        encode(InvocationResult.failure(ID, "f", new ErrorBody("invocation_failed", "boom")));

    assertThat(keys(frame.get("error"))).containsExactly("code", "message");
    assertThat(frame.get("error").get("code").asString()).isEqualTo("invocation_failed");
    assertThat(frame.get("error").get("message").asString()).isEqualTo("boom");
  }

  @Test
  void errorWritesStacktraceWhenPresent() {
    JsonNode frame =
        encode(InvocationResult.failure(ID, "f", new ErrorBody("c", "m", "at x\nat y")));

    assertThat(keys(frame.get("error"))).containsExactly("code", "message", "stacktrace");
    assertThat(frame.get("error").get("stacktrace").asString()).isEqualTo("at x\nat y");
  }

  @Test
  void voidActionIsExactlyTheTag() {
    // §13.1: {"type":"void"}; no extra bean properties (such as isVoid()) may leak.
    JsonNode frame = encode(new InvokeFunction(ID, "f", null, null, null, InvocationAction.VOID));

    assertThat(frame.get("action")).isEqualTo(json("{\"type\":\"void\"}"));
  }

  @Test
  void enqueueActionIsTypeAndQueue() {
    JsonNode frame =
        encode(new InvokeFunction(ID, "f", null, null, null, new InvocationAction("enqueue", "q")));

    assertThat(frame.get("action")).isEqualTo(json("{\"type\":\"enqueue\",\"queue\":\"q\"}"));
  }

  @Test
  void payloadsAreWrittenVerbatim() {
    String text =
        "{\"z\":1, \"a\":[null,true,1.50,\"s\",{\"n\":null}],\"type\":\"not-a-tag\","
            + "\"big\":12345678901234567890,\"unicode\":\"caf\u00e9 \uD83C\uDF0D\"}";
    RawJson data = raw(text);

    String encoded = codec.encode(new InvokeFunction(ID, "f", data));
    JsonNode frame = json(encoded);

    assertThat(encoded).contains("\"data\":" + text);
    assertThat(frame.get("data")).isEqualTo(json(text));
    assertThat(keys(frame.get("data"))).containsExactly("z", "a", "type", "big", "unicode");
    assertThat(keys(frame).get(0)).isEqualTo("type");
    assertThat(frame.get("type").asString()).isEqualTo("invokefunction");
  }

  @Test
  void encodedRequiredFieldsMatchTheSheet() {
    // §15 "Always send": data, config, description, function_id on invocationresult.
    assertThat(encode(new InvokeFunction(null, "f", null)).has("data")).isTrue();
    assertThat(encode(new RegisterTrigger("t", "x", "f", null)).has("config")).isTrue();
    assertThat(encode(new RegisterTriggerType("t", "d")).has("description")).isTrue();
    assertThat(encode(InvocationResult.success(ID, "f", null)).get("function_id").asString())
        .isEqualTo("f");
    assertThat(
            encode(InvocationResult.failure(ID, "f", new ErrorBody("c", "m")))
                .get("function_id")
                .asString())
        .isEqualTo("f");
  }
}
