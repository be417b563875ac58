package dev.iii.protocol;

import static dev.iii.protocol.Wire.ID;
import static dev.iii.protocol.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** {@link RawJson}: payloads sliced out of frames verbatim, and written back byte for byte. */
class RawJsonTest {

  private final MessageCodec codec = MessageCodec.instance();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{ \"a\" : 1, \"b\" : [ true, null ] }",
        "[1, \"two\", {\"x\": []}]",
        "\"caf\u00e9 \\\"quoted\\\" \\u00e9 \uD83C\uDF0D\"",
        "-12.5e+3",
        "0",
        "12345678901234567890123",
        "true",
        "false",
        "{}",
        "[]",
        "\"\""
      })
  void aPayloadAfterTheTypeIsSlicedOutOfTheFrameVerbatim(String payload) {
    String frame =
        "{\"type\":\"invokefunction\",\"invocation_id\":\""
            + ID
            + "\",\"function_id\":\"f\",\"data\":"
            + payload
            + " ,\"traceparent\":null}";

    InvokeFunction decoded = (InvokeFunction) codec.decode(bytes(frame));

    assertThat(decoded.data().text()).isEqualTo(payload);
    assertThat(decoded.data().toTree()).isEqualTo(json(payload));
  }

  @Test
  void aPayloadAtTheEndOfTheFrameIsSlicedToo() {
    String frame =
        "{\"type\":\"invocationresult\",\"invocation_id\":\""
            + ID
            + "\","
            + "\"function_id\":\"f\",\"result\":42}";

    InvocationResult decoded = (InvocationResult) codec.decode(bytes(frame));

    assertThat(decoded.result()).isNotNull();
    assertThat(decoded.result().text()).isEqualTo("42");
  }

  @Test
  void aPayloadBeforeTheTypeIsReadThroughATreeAndEqualsTheSameValue() {
    String frame = "{\"data\": { \"a\" : 1 },\"function_id\":\"f\",\"type\":\"invokefunction\"}";

    InvokeFunction decoded = (InvokeFunction) codec.decode(bytes(frame));

    // Jackson buffered the members before "type": the value is written out again, compactly.
    assertThat(decoded.data().text()).isEqualTo("{\"a\":1}");
    assertThat(decoded.data()).isEqualTo(RawJson.parse("{ \"a\" : 1 }"));
  }

  @Test
  void jsonNullDataIsTheNullPayload() {
    InvokeFunction decoded =
        (InvokeFunction)
            codec.decode(
                bytes("{\"type\":\"invokefunction\",\"function_id\":\"f\",\"data\":null}"));

    assertThat(decoded.data().isNull()).isTrue();
    assertThat(codec.encode(decoded)).contains("\"data\":null");
  }

  @Test
  void encodingWritesThePayloadBytesAsTheyAre() {
    RawJson payload = RawJson.parse("{ \"z\" : 1.50, \"a\" : \"\u00e9\" }");

    byte[] encoded = codec.encodeToBytes(new InvokeFunction(ID, "f", payload));

    assertThat(new String(encoded, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"type\":\"invokefunction\",\"invocation_id\":\""
                + ID
                + "\",\"function_id\":\"f\",\"data\":{ \"z\" : 1.50, \"a\" : \"\u00e9\" }}");
    assertThat(codec.encode(new InvokeFunction(ID, "f", payload)))
        .isEqualTo(new String(encoded, StandardCharsets.UTF_8));
  }

  @Test
  void aDecodedPayloadSurvivesReEncodingUnchanged() {
    String frame =
        "{\"type\":\"invokefunction\",\"invocation_id\":\""
            + ID
            + "\",\"function_id\":\"f\",\"data\":{\"n\": 1.0, \"s\": \"\\u0041\"}}";

    Message decoded = codec.decode(bytes(frame));

    assertThat(codec.encode(decoded)).isEqualTo(frame);
  }

  @Test
  void bindsStraightToATypeWithTheCallersMapper() {
    RawJson payload = RawJson.parse("{\"a\":1,\"b\":\"x\"}");

    Map<?, ?> map = payload.read(JsonMapper.builder().build(), Map.class);

    assertThat(map).isEqualTo(Map.of("a", 1, "b", "x"));
  }

  @Test
  void parseRefusesTextThatIsNotOneJsonValue() {
    assertThatIllegalArgumentException().isThrownBy(() -> RawJson.parse("{\"a\":"));
    assertThatIllegalArgumentException().isThrownBy(() -> RawJson.parse("nope"));
  }

  @Test
  void withMemberAppendsToAnObject() {
    assertThat(RawJson.parse("{\"a\":1}").withMember("_caller_worker_id", "w").text())
        .isEqualTo("{\"a\":1,\"_caller_worker_id\":\"w\"}");
    assertThat(RawJson.parse("{ }").withMember("k", "v").text()).isEqualTo("{ \"k\":\"v\"}");
    assertThat(RawJson.parse("{\"a\":{\"b\":2}}  ").withMember("k", "q\"uote").toTree())
        .isEqualTo(json("{\"a\":{\"b\":2},\"k\":\"q\\\"uote\"}"));
  }

  @Test
  void withMemberOnAnObjectThatHasTheNameAlreadyReplacesItInPlace() {
    RawJson replaced = RawJson.parse("{\"k\":\"old\",\"a\":1}").withMember("k", "new");

    assertThat(replaced.text()).isEqualTo("{\"k\":\"new\",\"a\":1}");
  }

  @Test
  void withMemberRefusesWhatIsNotAnObject() {
    assertThatIllegalStateException().isThrownBy(() -> RawJson.parse("[1]").withMember("k", "v"));
  }

  @Test
  void equalityIsByValue() {
    assertThat(RawJson.parse("{\"a\": 1}")).isEqualTo(RawJson.parse("{\"a\":1}"));
    assertThat(RawJson.parse("{\"a\": 1}").hashCode())
        .isEqualTo(RawJson.parse("{\"a\":1}").hashCode());
    assertThat(RawJson.parse("{\"a\":1}")).isNotEqualTo(RawJson.parse("{\"a\":2}"));
    assertThat(RawJson.parse("null").isNull()).isTrue();
    assertThat(RawJson.parse(" {}").isObject()).isTrue();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
