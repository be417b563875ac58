package dev.iii.engine.modules.telemetry;

import dev.iii.engine.support.RateLimitedLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Each connected worker's latest worker gauges (read back as {@code latest_metrics}). A point is
 * kept only for a worker id that is connected when it arrives (the official SDKs report under the
 * id the engine gave them), so a sender cannot make up keys; a worker's points go when it
 * disconnects ({@link #forget}); and at most {@code maxSeries} (worker, gauge) series exist at
 * once, beyond which new series are dropped with a rate-limited WARN.
 *
 * <p>Concurrency: every method holds this object's monitor, briefly (map work only). The connected
 * check and the insert happen under it, and the engine removes a worker from its registry before it
 * calls {@link #forget}, so a point racing a disconnect is either refused or forgotten.
 */
final class WorkerGauges {

  /** The {@code latest_metrics} fields, in the official engine's order. */
  static final List<String> METRIC_FIELDS =
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

  /** Points older than this are not reported as latest. */
  private static final long METRICS_LOOKBACK_MS = 120_000;

  private final RateLimitedLog warnings =
      new RateLimitedLog(LoggerFactory.getLogger(TelemetryStore.class), Duration.ofMinutes(1));

  private record Point(double value, long timeMs) {}

  private final int maxSeries;
  private final Map<String, Map<String, Point>> byWorker = new HashMap<>();
  private int series;
  private Predicate<String> connected = id -> false;

  WorkerGauges(int maxSeries) {
    this.maxSeries = maxSeries;
  }

  /** Which worker ids are connected now; until this is set, no point is kept. */
  synchronized void connectedWorkers(Predicate<String> connected) {
    this.connected = connected;
  }

  /** Keeps a point unless it is older than the one kept, its worker is gone, or the cap is hit. */
  synchronized void record(String workerId, String field, double value, long timeMs) {
    Map<String, Point> gauges = byWorker.get(workerId);
    Point old = gauges == null ? null : gauges.get(field);
    if (gauges != null && old != null) {
      if (timeMs >= old.timeMs()) {
        gauges.put(field, new Point(value, timeMs));
      }
      return;
    }
    if (!connected.test(workerId)) {
      return; // not a connected worker: nobody would ever remove it
    }
    if (series >= maxSeries) {
      warnings.warn(
          "gauge series cap",
          "Dropped a worker gauge: the engine keeps at most {} gauge series at once",
          maxSeries);
      return;
    }
    byWorker.computeIfAbsent(workerId, id -> new HashMap<>()).put(field, new Point(value, timeMs));
    series++;
  }

  /** Forgets a disconnected worker's points. */
  synchronized void forget(String workerId) {
    Map<String, Point> gone = byWorker.remove(workerId);
    if (gone != null) {
      series -= gone.size();
    }
  }

  /** How many (worker, gauge) series are kept now. */
  synchronized int seriesCount() {
    return series;
  }

  /** See {@link TelemetryStore#latestMetrics}. */
  synchronized @Nullable Map<String, Object> latest(
      String workerId, @Nullable String runtime, long nowMs) {
    Map<String, Point> gauges = byWorker.get(workerId);
    if (gauges == null) {
      return null;
    }
    long oldest = nowMs - METRICS_LOOKBACK_MS;
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
}
