package dev.iii.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a load generator counts: the latency of every successful call and the failures, per
 * measurement window.
 *
 * <p>Thread-safe: any number of threads record while one thread opens and closes windows; latencies
 * go to an HdrHistogram {@link Recorder}, which swaps its interval histogram without blocking
 * recorders.
 */
final class CallStats {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int ERRORS_LOGGED = 5;

  private final Recorder latencies = new Recorder(3);
  private final LongAdder errorsInWindow = new LongAdder();
  private final LongAdder errorsTotal = new LongAdder();
  private final AtomicReference<@Nullable String> firstError = new AtomicReference<>();
  private volatile long windowStartNanos = System.nanoTime();
  private @Nullable Histogram recycled;

  /** Records a call that succeeded; {@code startNanos} is when it was issued. */
  void success(long startNanos) {
    latencies.recordValue(Math.max(0, System.nanoTime() - startNanos));
  }

  /** Records a call that failed (an exception, or a result that is not the echo). */
  void failure(Throwable error) {
    errorsInWindow.increment();
    errorsTotal.increment();
    String message = error.getClass().getSimpleName() + ": " + error.getMessage();
    firstError.compareAndSet(null, message);
    if (errorsTotal.sum() <= ERRORS_LOGGED) {
      System.err.println("call failed: " + message);
    }
  }

  /** Opens a window: what was recorded so far is discarded. */
  synchronized void startWindow() {
    recycled = latencies.getIntervalHistogram(recycled);
    errorsInWindow.reset();
    windowStartNanos = System.nanoTime();
  }

  /**
   * Closes the window opened by {@link #startWindow()}.
   *
   * @return one JSON object: calls, errors (in the window and since the start), seconds, latency
   *     percentiles in microseconds, and the first error message if any
   */
  synchronized String stopWindow() {
    double seconds = (System.nanoTime() - windowStartNanos) / 1e9;
    Histogram window = latencies.getIntervalHistogram(recycled);
    recycled = window;
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("calls", window.getTotalCount());
    report.put("errors", errorsInWindow.sum());
    report.put("errorsTotal", errorsTotal.sum());
    report.put("seconds", seconds);
    report.put("p50Us", micros(window, 50));
    report.put("p90Us", micros(window, 90));
    report.put("p99Us", micros(window, 99));
    report.put("p999Us", micros(window, 99.9));
    report.put("maxUs", window.getTotalCount() == 0 ? 0.0 : window.getMaxValue() / 1e3);
    report.put("meanUs", window.getTotalCount() == 0 ? 0.0 : window.getMean() / 1e3);
    report.put("firstError", firstError.get());
    return JSON.writeValueAsString(report);
  }

  private static double micros(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0.0 : histogram.getValueAtPercentile(percentile) / 1e3;
  }
}
