package dev.iii.engine.modules.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The telemetry store stays within its bounds whatever a sender sends. */
class TelemetryStoreTest {

  private static final int MIB = 1024 * 1024;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final Logger logger = (Logger) LoggerFactory.getLogger(TelemetryStore.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void captureLogs() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(appender);
  }

  private List<String> warnings() {
    return List.copyOf(appender.list).stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  // ------------------------------------------------------------------ log records

  @Test
  void threeHundredOneMebibyteLogFramesStayWithinTheByteBudget() {
    TelemetryStore store = new TelemetryStore(1000, 8L * MIB);
    String body = "x".repeat(MIB - 100);

    for (int i = 0; i < 300; i++) {
      store.accept(logsFrame(record(i, body)));
      assertThat(store.retainedLogBytes()).isLessThanOrEqualTo(8L * MIB);
    }

    List<JsonNode> kept = store.recentLogRecords();
    assertThat(kept).hasSizeBetween(7, 8);
    assertThat(kept.get(kept.size() - 1).path("attributes").path("seq").asInt()).isEqualTo(299);
    assertThat(kept.get(0).path("attributes").path("seq").asInt())
        .isEqualTo(300 - kept.size()); // the oldest went first
  }

  @Test
  void theRecordCountStillBoundsSmallRecords() {
    TelemetryStore store = new TelemetryStore(1000, 8L * MIB);

    for (int i = 0; i < 1500; i++) {
      store.accept(logsFrame(record(i, "small")));
    }

    assertThat(store.retainedLogCount()).isEqualTo(1000);
    assertThat(store.recentLogRecords().get(0).path("attributes").path("seq").asInt())
        .isEqualTo(500);
  }

  @Test
  void aRecordLargerThanTheBudgetIsDroppedWithOneRateLimitedWarning() {
    TelemetryStore store = new TelemetryStore(1000, 1024);

    for (int i = 0; i < 10; i++) { // ten small records (~75 bytes each) fit in the budget
      store.accept(logsFrame(record(1, "y".repeat(2048)), record(2, "fits")));
    }

    assertThat(store.recentLogRecords())
        .hasSize(10)
        .allSatisfy(r -> assertThat(r.path("attributes").path("seq").asInt()).isEqualTo(2));
    assertThat(warnings())
        .singleElement()
        .satisfies(w -> assertThat(w).contains("max_telemetry_log_bytes").contains("1024"));
  }

  @Test
  void recordsComeBackExactlyAsSent() {
    TelemetryStore store = new TelemetryStore(10, MIB);
    String record =
        "{\"body\":{\"stringValue\":\"héllo ✓ \\\"quoted\\\"\"},\"attributes\":{\"seq\":7},"
            + "\"nested\":[{\"a\":[1,2,{\"b\":null}]}]}";

    store.accept(
        ("LOGS{\"resourceLogs\":[{\"resource\":{\"logRecords\":[{\"decoy\":1}]},"
                + "\"scopeLogs\":[{\"scope\":{},\"logRecords\":[7,"
                + record
                + "]}]}]}")
            .getBytes(StandardCharsets.UTF_8));

    assertThat(store.recentLogRecords()).containsExactly(MAPPER.readTree(record));
    assertThat(store.retainedLogBytes()).isEqualTo(record.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void aMalformedFrameKeepsNothingOfIt() {
    TelemetryStore store = new TelemetryStore(10, MIB);
    String valid = new String(logsFrame(record(1, "a")), StandardCharsets.UTF_8);

    store.accept(valid.substring(0, valid.length() - 2).getBytes(StandardCharsets.UTF_8));
    store.accept((valid + "]").getBytes(StandardCharsets.UTF_8));

    assertThat(store.recentLogRecords()).isEmpty();
  }

  // ------------------------------------------------------------------ gauges

  @Test
  void gaugesUnderInventedWorkerIdsAreNotKeptAndARealWorkersGoWithIt() {
    TelemetryStore store = new TelemetryStore(10, MIB);
    Set<String> connected = ConcurrentHashMap.newKeySet();
    connected.add("real");
    store.connectedWorkers(connected::contains);

    store.accept(metricsFrame(IntStream.range(0, 20_000).mapToObj(i -> "invented-" + i)));
    store.accept(metricsFrame(IntStream.range(0, 1).mapToObj(i -> "real")));

    assertThat(store.gaugeSeriesCount()).isEqualTo(1);
    assertThat(store.latestMetrics("real", "node")).containsKey("cpu_percent");
    assertThat(store.latestMetrics("invented-1", "node")).isNull();

    connected.remove("real"); // the engine removes a worker from its registry, then forgets it
    store.forgetWorker("real");
    store.accept(metricsFrame(IntStream.range(0, 1).mapToObj(i -> "real")));
    assertThat(store.gaugeSeriesCount()).isZero();
  }

  @Test
  void gaugeSeriesAreCappedWithOneRateLimitedWarningAndGoWithTheirWorkers() {
    TelemetryStore store = new TelemetryStore(10, MIB);
    Set<String> connected =
        IntStream.range(0, 20_000)
            .mapToObj(i -> "w" + i)
            .collect(Collectors.toCollection(ConcurrentHashMap::newKeySet));
    store.connectedWorkers(connected::contains);

    store.accept(metricsFrame(IntStream.range(0, 20_000).mapToObj(i -> "w" + i)));

    assertThat(store.gaugeSeriesCount()).isEqualTo(TelemetryStore.MAX_GAUGE_SERIES);
    assertThat(warnings())
        .singleElement()
        .satisfies(w -> assertThat(w).contains("10000 gauge series"));

    for (int i = 0; i < 20_000; i++) {
      connected.remove("w" + i);
      store.forgetWorker("w" + i);
    }
    assertThat(store.gaugeSeriesCount()).isZero();
  }

  @Test
  void noGaugeIsKeptBeforeTheStoreKnowsWhichWorkersAreConnected() {
    TelemetryStore store = new TelemetryStore(10, MIB);

    store.accept(metricsFrame(IntStream.range(0, 3).mapToObj(i -> "w" + i)));

    assertThat(store.gaugeSeriesCount()).isZero();
  }

  // ------------------------------------------------------------------ frames

  private static String record(int seq, String body) {
    return "{\"timeUnixNano\":\"1\",\"body\":{\"stringValue\":\""
        + body
        + "\"},\"attributes\":{\"seq\":"
        + seq
        + "}}";
  }

  private static byte[] logsFrame(String... records) {
    return ("LOGS{\"resourceLogs\":[{\"resource\":{\"attributes\":[]},\"scopeLogs\":[{\"scope\":"
            + "{\"name\":\"iii\"},\"logRecords\":["
            + String.join(",", records)
            + "]}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** One {@code iii.worker.cpu.percent} point per worker id, all in one frame. */
  private static byte[] metricsFrame(java.util.stream.Stream<String> workerIds) {
    String points =
        workerIds
            .map(
                id ->
                    "{\"asDouble\":1.5,\"timeUnixNano\":\""
                        + System.currentTimeMillis() * 1_000_000L
                        + "\",\"attributes\":[{\"key\":\"worker.id\",\"value\":{\"stringValue\":\""
                        + id
                        + "\"}}]}")
            .collect(Collectors.joining(","));
    return ("MTRC{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":"
            + "\"iii.worker.cpu.percent\",\"gauge\":{\"dataPoints\":["
            + points
            + "]}}]}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
