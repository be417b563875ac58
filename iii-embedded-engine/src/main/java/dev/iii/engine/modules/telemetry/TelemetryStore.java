package dev.iii.engine.modules.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts the SDKs' binary telemetry frames ({@code OTLP}, {@code MTRC}, {@code LOGS} followed by
 * OTLP JSON). It keeps the most recent log records and, per worker, the latest value of each worker
 * gauge (read back as {@code latest_metrics}), for at most {@link #MAX_TRACKED_WORKERS} worker ids;
 * spans are accepted and dropped. A bad frame is logged at debug level and never affects the
 * connection.
 *
 * <p>Thread-safe: frames arrive on any connection's event loop; the log records are guarded by this
 * object's monitor, the gauges live in concurrent maps.
 */
public final class TelemetryStore implements Consumer<byte[]> {

  private static final Logger log = LoggerFactory.getLogger(TelemetryStore.class);

  private final JsonMapper mapper = JsonMapper.builder().build();
  private final int capacity;
  private final Deque<JsonNode> logRecords = new ArrayDeque<>();
  private final Map<String, Map<String, Point>> gaugesByWorker = new ConcurrentHashMap<>();

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

  /** The {@code latest_metrics} fields, in the official engine's order. */
  private static final List<String> METRIC_FIELDS =
      List.of(
          "memory_heap_used",
          "memory_heap_total",
          "memory_rss",
          "memory_external",
          "cpu_user_micros",
          "cpu_system_micros",
          "cpu_percent",
          "event_loop_lag_ms",
          "uptime_seconds");

  /** Fields reported as floating point; the others are truncated to integers. */
  private static final Set<String> FLOAT_FIELDS = Set.of("cpu_percent", "event_loop_lag_ms");

  /** Gauges are kept for at most this many worker ids; frames naming more are ignored. */
  static final int MAX_TRACKED_WORKERS = 10_000;

  /** Points older than this are not reported as latest. */
  private static final long METRICS_LOOKBACK_MS = 120_000;

  private record Point(double value, long timeMs) {}

  private static final int PREFIX_LENGTH = 4;
  private static final byte[] METRICS_PREFIX = "MTRC".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LOGS_PREFIX = "LOGS".getBytes(StandardCharsets.US_ASCII);

  private static boolean hasPrefix(byte[] frame, byte[] prefix) {
    return frame.length >= PREFIX_LENGTH
        && Arrays.equals(frame, 0, PREFIX_LENGTH, prefix, 0, PREFIX_LENGTH);
  }

  public TelemetryStore(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public void accept(byte[] frame) {
    boolean metrics = hasPrefix(frame, METRICS_PREFIX);
    if (!metrics && !hasPrefix(frame, LOGS_PREFIX)) {
      return; // OTLP spans are accepted and dropped
    }
    try {
      JsonNode document = mapper.readTree(frame, PREFIX_LENGTH, frame.length - PREFIX_LENGTH);
      if (metrics) {
        readMetrics(document);
        return;
      }
      for (JsonNode resourceLogs : document.path("resourceLogs")) {
        for (JsonNode scopeLogs : resourceLogs.path("scopeLogs")) {
          for (JsonNode record : scopeLogs.path("logRecords")) {
            add(record);
          }
        }
      }
    } catch (JacksonException e) {
      log.debug("Dropped a malformed LOGS frame: {}", e.getOriginalMessage());
    }
  }

  /**
   * The latest gauges a worker reported within the last two minutes, in the official {@code
   * latest_metrics} shape and key order (integers as {@code Long}, the float fields as {@code
   * Double}), or {@code null} when there are none.
   */
  public @Nullable Map<String, Object> latestMetrics(String workerId, @Nullable String runtime) {
    Map<String, Point> gauges = gaugesByWorker.get(workerId);
    if (gauges == null) {
      return null;
    }
    long oldest = System.currentTimeMillis() - METRICS_LOOKBACK_MS;
    Map<String, Object> out = new LinkedHashMap<>();
    long newest = Long.MIN_VALUE;
    for (String field : METRIC_FIELDS) {
      Point point = gauges.get(field);
      if (point == null || point.timeMs() < oldest) {
        continue;
      }
      if (FLOAT_FIELDS.contains(field)) {
        out.put(field, point.value());
      } else {
        out.put(field, (long) point.value());
      }
      newest = Math.max(newest, point.timeMs());
    }
    if (out.isEmpty()) {
      return null;
    }
    out.put("timestamp_ms", newest);
    out.put("runtime", runtime == null ? "unknown" : runtime);
    return out;
  }

  /** Forgets a disconnected worker's gauges. */
  public void forgetWorker(String workerId) {
    gaugesByWorker.remove(workerId);
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
    if (gaugesByWorker.size() >= MAX_TRACKED_WORKERS && !gaugesByWorker.containsKey(workerId)) {
      return; // bounded: ids of workers that never disconnect here cannot pile up
    }
    gaugesByWorker
        .computeIfAbsent(workerId, id -> new ConcurrentHashMap<>())
        .merge(
            field,
            new Point(number, timeMs),
            (old, next) -> next.timeMs() >= old.timeMs() ? next : old);
  }

  /** The retained log records, oldest first (OTLP JSON {@code logRecord} objects). */
  public synchronized List<JsonNode> recentLogRecords() {
    return List.copyOf(logRecords);
  }

  private synchronized void add(JsonNode record) {
    if (logRecords.size() == capacity) {
      logRecords.removeFirst();
    }
    logRecords.addLast(record);
  }
}
