package dev.iii.protocol;

import static dev.iii.protocol.Wire.ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Multi-MiB frames pass the codec (the official engine accepts messages up to 64 MiB, §1.5). */
class MessageCodecLargePayloadTest {

  private static final int MIB = 1024 * 1024;

  private final MessageCodec codec = MessageCodec.instance();

  private static String text(int length) {
    StringBuilder sb = new StringBuilder(length);
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 \"\\/\n\t";
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(i % alphabet.length()));
    }
    return sb.toString();
  }

  @Test
  void fiveMibObjectPayloadRoundTrips() {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode items = data.putArray("items");
    String padding = text(100);
    int count = 0;
    while (count * 100 < 5 * MIB) {
      items.addObject().put("i", count).put("name", padding).put("ok", count % 2 == 0);
      count++;
    }
    InvokeFunction message = new InvokeFunction(ID, "bulk::ingest", RawJson.of(data));

    String frame = codec.encode(message);
    Message decoded = codec.decode(frame);

    assertThat(frame.length()).isGreaterThan(5 * MIB);
    assertThat(decoded).isEqualTo(message);
    assertThat(((InvokeFunction) decoded).data().toTree().get("items").size()).isEqualTo(count);
  }

  @Test
  void fiveMibStringResultRoundTripsAsTextAndBinary() {
    String value = text(5 * MIB);
    InvocationResult message =
        InvocationResult.success(
            ID, "blob::get", RawJson.of(JsonNodeFactory.instance.stringNode(value)));

    String frame = codec.encode(message);

    assertThat(frame.length()).isGreaterThan(5 * MIB);
    assertThat(codec.decode(frame)).isEqualTo(message);
    assertThat(codec.decode(frame.getBytes(StandardCharsets.UTF_8))).isEqualTo(message);
  }

  @Test
  void twentyMibStringValueIsAccepted() {
    // Jackson 2.15 capped strings at 20,000,000 chars; 20 MiB is above that.
    String value = text(20 * MIB);
    InvokeFunction message =
        new InvokeFunction(
            ID,
            "blob::put",
            RawJson.of(JsonNodeFactory.instance.objectNode().put("blob", value).put("n", 1)));

    String frame = codec.encode(message);
    InvokeFunction decoded = (InvokeFunction) codec.decode(frame);

    assertThat(frame.length()).isGreaterThan(20 * MIB);
    assertThat(decoded.data().toTree().get("blob").asString()).isEqualTo(value);
    assertThat(decoded).isEqualTo(message);
  }

  @Test
  void twentyMibNonAsciiBinaryFrameIsAccepted() {
    String value = "é世🌍".repeat(20 * MIB / 8);
    InvocationResult message =
        InvocationResult.success(ID, "f", RawJson.of(JsonNodeFactory.instance.stringNode(value)));
    byte[] frame = codec.encode(message).getBytes(StandardCharsets.UTF_8);

    JsonNode result = ((InvocationResult) codec.decode(frame)).result().toTree();

    assertThat(frame.length).isGreaterThan(20 * MIB);
    assertThat(result.asString()).isEqualTo(value);
  }

  @Test
  void readConstraintsAllowA64MibMessage() {
    StreamReadConstraints constraints = codec.mapper().tokenStreamFactory().streamReadConstraints();

    assertThat(constraints.getMaxStringLength()).isGreaterThanOrEqualTo(64 * MIB);
    assertThat(constraints.getMaxDocumentLength())
        .satisfiesAnyOf(
            len -> assertThat(len).isLessThanOrEqualTo(0L),
            len -> assertThat(len).isGreaterThanOrEqualTo(64L * MIB));
  }
}
