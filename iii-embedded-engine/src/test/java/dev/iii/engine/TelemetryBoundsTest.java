package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A worker cannot make the engine keep more telemetry than its limits allow. */
class TelemetryBoundsTest extends EngineTestSupport {

  private static final int MIB = 1024 * 1024;

  @Test
  void oneMebibyteLogFramesKeepRetainedLogsWithinTheDefaultBudget() {
    RawWorker a = connect();
    String body = "x".repeat(MIB - 100);

    for (int i = 0; i < 20; i++) {
      a.sendBinary(
          ("LOGS{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\""
                  + body
                  + "\"},\"attributes\":{\"seq\":"
                  + i
                  + "}}]}]}]}")
              .getBytes(StandardCharsets.UTF_8));
    }
    a.sync();

    long retained = 0;
    for (JsonNode record : engine.recentLogRecords()) {
      retained += RawWorker.MAPPER.writeValueAsBytes(record).length;
    }
    assertThat(retained).isPositive().isLessThanOrEqualTo(8L * MIB);
    assertThat(engine.recentLogRecords())
        .last()
        .satisfies(r -> assertThat(r.path("attributes").path("seq").asInt()).isEqualTo(19));
  }
}
