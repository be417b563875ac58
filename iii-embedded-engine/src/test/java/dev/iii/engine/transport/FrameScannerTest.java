package dev.iii.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tolerant scanner finds top-level fields in text no parser accepts, and only those. */
class FrameScannerTest {

  private static FrameScanner.Fields scan(String json) {
    return FrameScanner.scan(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsTopLevelFieldsAfterADeepValue() {
    FrameScanner.Fields fields =
        scan(
            "{\"result\":"
                + "[".repeat(5000)
                + "]".repeat(5000)
                + ",\"type\":\"invocationresult\",\"invocation_id\":\"id-1\",\"function_id\":\"f\"}");
    assertThat(fields).isEqualTo(new FrameScanner.Fields("invocationresult", "id-1", "f"));
  }

  @Test
  void ignoresKeysInsideNestedValuesAndStrings() {
    FrameScanner.Fields fields =
        scan(
            "{\"type\":\"invocationresult\",\"result\":{\"invocation_id\":\"inner\","
                + "\"s\":\"\\\"invocation_id\\\":\\\"x\\\"}\"},\"invocation_id\":\"outer\"}");
    assertThat(fields.invocationId()).isEqualTo("outer");
  }

  @Test
  void resolvesEscapesInKeysAndValues() {
    FrameScanner.Fields fields =
        scan("{\"typ\\u0065\":\"invoke\\u0066unction\",\"invocation_id\":\"a\\\"b\"}");
    assertThat(fields.type()).isEqualTo("invokefunction");
    assertThat(fields.invocationId()).isEqualTo("a\"b");
  }

  @Test
  void keepsWhatItFoundBeforeTheTextIsCutOff() {
    FrameScanner.Fields fields =
        scan("{\"type\":\"invocationresult\",\"invocation_id\":\"id-2\",\"result\":{\"a\":[1,2");
    assertThat(fields).isEqualTo(new FrameScanner.Fields("invocationresult", "id-2", null));
    assertThat(scan("{\"type\":\"invocationresult\",\"invocation_id\":\"id-"))
        .isEqualTo(new FrameScanner.Fields("invocationresult", null, null));
  }

  @Test
  void readsNothingFromWhatIsNotAnObjectAndDropsOverlongValues() {
    assertThat(scan("[\"type\",\"x\"]")).isEqualTo(new FrameScanner.Fields(null, null, null));
    assertThat(scan("")).isEqualTo(new FrameScanner.Fields(null, null, null));
    assertThat(scan("{\"invocation_id\":\"" + "i".repeat(2000) + "\",\"type\":\"t\"}"))
        .isEqualTo(new FrameScanner.Fields("t", null, null));
    assertThat(scan("{\"n\":12345678901234567890,\"type\":true,\"invocation_id\":\"z\"}"))
        .isEqualTo(new FrameScanner.Fields(null, "z", null));
  }
}
