package dev.iii.engine.modules.telemetry;

import dev.iii.engine.support.RateLimitedLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts the SDKs' binary telemetry frames ({@code OTLP}, {@code MTRC}, {@code LOGS} followed by
 * OTLP JSON), in bounded memory whatever a sender does:
 *
 * <ul>
 *   <li>log records: the most recent ones, at most a count and a byte budget ({@code
 *       limits.max_telemetry_log_bytes}) of their JSON, the oldest evicted first; a single record
 *       larger than the budget is dropped with a rate-limited WARN ({@link RetainedLogs});
 *   <li>worker gauges: the latest value of each, read back as {@code latest_metrics}, kept only for
 *       connected workers and forgotten when they disconnect, at most {@link #MAX_GAUGE_SERIES}
 *       series ({@link WorkerGauges});
 *   <li>spans: accepted and dropped.
 * </ul>
 *
 * A malformed frame is logged at debug level and never affects the connection.
 *
 * <p>Concurrency: frames arrive on any connection's event loop and are parsed there without a lock;
 * the log records and the gauges each sit behind their own monitor, held only to update a
 * collection.
 */
public final class TelemetryStore implements Consumer<byte[]> {

  private static final Logger log = LoggerFactory.getLogger(TelemetryStore.class);

  /** At most this many (worker, gauge) series are kept at once. */
  static final int MAX_GAUGE_SERIES = 10_000;

  /** The worker gauges the official engine reads, with their {@code latest_metrics} field names. */
  private static final Map<String, String> WORKER_GAUGES =
      Map.of(
          "iii.worker.memory.heap_used", "memory_heap_used",
          "iii.worker.memory.heap_total", "memory_heap_total",
          "iii.worker.memory.rss", "memory_rss",
          "iii.worker.memory.external", "memory_external",
          "iii.worker.cpu.user_micros", "cpu_user_micros",
          "iii.worker.cpu.system_micros", "cpu_system_micros",
          "iii.worker.cpu.percent", "cpu_percent",
          "iii.worker.event_loop.lag_ms", "event_loop_lag_ms",
          "iii.worker.uptime_seconds", "uptime_seconds");

  /** Where the log records sit in an OTLP logs document. */
  private static final List<String> LOG_RECORD_PATH =
      List.of("resourceLogs", "scopeLogs", "logRecords");

  private static final int PREFIX_LENGTH = 4;
  private static final byte[] METRICS_PREFIX = "MTRC".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LOGS_PREFIX = "LOGS".getBytes(StandardCharsets.US_ASCII);

  private final JsonMapper mapper = JsonMapper.builder().build();
  private final RateLimitedLog warnings = new RateLimitedLog(log, Duration.ofMinutes(1));
  private final RetainedLogs logRecords;
  private final WorkerGauges gauges;

  /**
   * @param maxLogRecords how many log records are kept
   * @param maxLogBytes how many bytes of log record JSON are kept
   */
  public TelemetryStore(int maxLogRecords, long maxLogBytes) {
    this(maxLogRecords, maxLogBytes, MAX_GAUGE_SERIES);
  }

  TelemetryStore(int maxLogRecords, long maxLogBytes, int maxGaugeSeries) {
    this.logRecords = new RetainedLogs(maxLogRecords, maxLogBytes);
    this.gauges = new WorkerGauges(maxGaugeSeries);
  }

  private static boolean hasPrefix(byte[] frame, byte[] prefix) {
    return frame.length >= PREFIX_LENGTH
        && Arrays.equals(frame, 0, PREFIX_LENGTH, prefix, 0, PREFIX_LENGTH);
  }

  /**
   * Tells which worker ids are connected: gauges are kept only for those (none until this is
   * called). The telemetry module passes the engine's worker registry.
   */
  public void connectedWorkers(Predicate<String> connected) {
    gauges.connectedWorkers(connected);
  }

  @Override
  public void accept(byte[] frame) {
    boolean metrics = hasPrefix(frame, METRICS_PREFIX);
    if (!metrics && !hasPrefix(frame, LOGS_PREFIX)) {
      return; // OTLP spans are accepted and dropped
    }
    try {
      if (metrics) {
        readMetrics(mapper.readTree(frame, PREFIX_LENGTH, frame.length - PREFIX_LENGTH));
      } else {
        readLogs(frame);
      }
    } catch (JacksonException e) {
      log.debug(
          "Dropped a malformed {} frame: {}", metrics ? "MTRC" : "LOGS", e.getOriginalMessage());
    }
  }

  /**
   * The latest gauges a worker reported within the last two minutes, in the official {@code
   * latest_metrics} shape and key order (integers as {@code Long}, the float fields as {@code
   * Double}), or {@code null} when there are none.
   */
  public @Nullable Map<String, Object> latestMetrics(String workerId, @Nullable String runtime) {
    return gauges.latest(workerId, runtime, System.currentTimeMillis());
  }

  /** Forgets a disconnected worker's gauges. */
  public void forgetWorker(String workerId) {
    gauges.forget(workerId);
  }

  /** The retained log records, oldest first (OTLP JSON {@code logRecord} objects). */
  public List<JsonNode> recentLogRecords() {
    List<JsonNode> out = new ArrayList<>();
    for (byte[] record : logRecords.snapshot()) {
      out.add(mapper.readTree(record));
    }
    return out;
  }

  /** Bytes of log record JSON retained now. */
  long retainedLogBytes() {
    return logRecords.bytes();
  }

  /** Log records retained now. */
  int retainedLogCount() {
    return logRecords.count();
  }

  /** (worker, gauge) series kept now. */
  int gaugeSeriesCount() {
    return gauges.seriesCount();
  }

  /**
   * Keeps the log records of an OTLP logs document, read as a stream: each record is kept as the
   * bytes it arrived as, without building a tree, and only once the whole document proved valid.
   */
  private void readLogs(byte[] frame) {
    List<int[]> slices = new ArrayList<>();
    try (JsonParser parser =
        mapper.createParser(frame, PREFIX_LENGTH, frame.length - PREFIX_LENGTH)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        collectRecords(parser, 0, slices);
      }
      while (parser.nextToken() != null) {
        // read to the end: trailing garbage makes the document invalid, as a tree parse would
      }
    }
    for (int[] slice : slices) {
      int length = slice[1] - slice[0];
      if (length > logRecords.maxBytes()) {
        warnings.warn(
            "oversized log record",
            "Dropped an SDK log record of {} bytes: larger than limits max_telemetry_log_bytes"
                + " ({} bytes)",
            length,
            logRecords.maxBytes());
        continue;
      }
      logRecords.add(Arrays.copyOfRange(frame, slice[0], slice[1]));
    }
  }

  /**
   * Walks the object the parser has just entered along {@link #LOG_RECORD_PATH}, skipping
   * everything else, and notes where each record object starts and ends in the frame.
   */
  private static void collectRecords(JsonParser parser, int depth, List<int[]> slices) {
    String wanted = LOG_RECORD_PATH.get(depth);
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!wanted.equals(name) || value != JsonToken.START_ARRAY) {
        parser.skipChildren();
        continue;
      }
      for (JsonToken element = parser.nextToken();
          element != JsonToken.END_ARRAY;
          element = parser.nextToken()) {
        if (element != JsonToken.START_OBJECT) {
          parser.skipChildren();
        } else if (depth + 1 < LOG_RECORD_PATH.size()) {
          collectRecords(parser, depth + 1, slices);
        } else {
          // Offsets count from the start of the parsed range, just past the prefix.
          long start = parser.currentTokenLocation().getByteOffset() + PREFIX_LENGTH;
          parser.skipChildren();
          long end = parser.currentLocation().getByteOffset() + PREFIX_LENGTH;
          slices.add(new int[] {(int) start, (int) end});
        }
      }
    }
  }

  private void readMetrics(JsonNode document) {
    for (JsonNode resourceMetrics : document.path("resourceMetrics")) {
      for (JsonNode scopeMetrics : resourceMetrics.path("scopeMetrics")) {
        for (JsonNode metric : scopeMetrics.path("metrics")) {
          String field = WORKER_GAUGES.get(metric.path("name").asString(""));
          if (field == null) {
            continue;
          }
          for (JsonNode point : metric.path("gauge").path("dataPoints")) {
            recordGauge(field, point);
          }
        }
      }
    }
  }

  private void recordGauge(String field, JsonNode point) {
    String workerId = null;
    for (JsonNode attribute : point.path("attributes")) {
      if ("worker.id".equals(attribute.path("key").asString(""))) {
        workerId = attribute.path("value").path("stringValue").asString(null);
      }
    }
    JsonNode value = point.has("asDouble") ? point.get("asDouble") : point.get("asInt");
    if (workerId == null || value == null || !(value.isNumber() || value.isString())) {
      return;
    }
    double number;
    long timeNanos;
    try {
      number = value.isNumber() ? value.asDouble() : Double.parseDouble(value.asString());
      JsonNode time = point.path("timeUnixNano");
      timeNanos = time.isNumber() ? time.asLong() : Long.parseLong(time.asString("0"));
    } catch (NumberFormatException e) {
      return;
    }
    long timeMs = timeNanos == 0 ? System.currentTimeMillis() : timeNanos / 1_000_000;
    gauges.record(workerId, field, number, timeMs);
  }
}
