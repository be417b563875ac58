package dev.iii.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The comparisons the benchmark exists for: iii-core against the Node SDK, the REST port against
 * WebFlux.
 */
final class Ratios {

  private static final String NODE = "node/node";
  private static final String BLOCKING = "java-blocking/java";
  private static final String ASYNC = "java-async/java";

  private Ratios() {}

  /**
   * One comparison in both phases.
   *
   * @param label what is divided by what, e.g. {@code calls/s @64 java-async/java ÷ node/node}
   * @param reading which way is better
   * @param cold the ratio in the cold phase ({@link Double#NaN} when a side is missing or failed)
   * @param warm the ratio in the warm phase
   */
  record Ratio(String label, String reading, double cold, double warm) {}

  /**
   * The ratios of one run's rows.
   *
   * @param low the lowest number in flight (latency is compared there)
   * @param high the highest number in flight (throughput and CPU are compared there)
   */
  static List<Ratio> compute(List<Measurement> rows, int low, int high) {
    List<Ratio> ratios = new ArrayList<>();
    String faster = "higher: iii-core faster";
    for (String java : List.of(BLOCKING, ASYNC)) {
      ratios.add(ratio(rows, "calls/s", Measurement::callsPerSecond, high, java, NODE, faster));
    }
    ratios.add(
        ratio(
            rows,
            "calls/s",
            Measurement::callsPerSecond,
            high,
            "java-async/node",
            NODE,
            "higher: the iii-core caller beats the Node one"));
    ratios.add(
        ratio(
            rows,
            "calls/s",
            Measurement::callsPerSecond,
            high,
            "node/java",
            NODE,
            "higher: the iii-core worker beats the Node one"));
    String cheaper = "lower: iii-core uses less CPU";
    for (String java : List.of(BLOCKING, ASYNC)) {
      ratios.add(
          ratio(
              rows,
              "CPU/call caller",
              r -> r.cpuMicrosPerCall().caller(),
              high,
              java,
              NODE,
              cheaper));
    }
    for (String java : List.of(BLOCKING, ASYNC)) {
      ratios.add(
          ratio(
              rows,
              "CPU/call worker",
              r -> r.cpuMicrosPerCall().worker(),
              high,
              java,
              NODE,
              cheaper));
    }
    for (String java : List.of(BLOCKING, ASYNC)) {
      ratios.add(
          ratio(
              rows, "p50", Measurement::p50Us, low, java, NODE, "lower: iii-core answers sooner"));
    }
    ratios.add(
        ratio(
            rows,
            "HTTP req/s",
            Measurement::callsPerSecond,
            high,
            "http/iii",
            "http/webflux",
            "1 = as fast as plain WebFlux"));
    return ratios;
  }

  private static Ratio ratio(
      List<Measurement> rows,
      String metric,
      ToDoubleFunction<Measurement> value,
      int inFlight,
      String numerator,
      String denominator,
      String reading) {
    return new Ratio(
        metric + " @" + inFlight + "  " + numerator + " / " + denominator,
        reading,
        divide(rows, Measurement.COLD, value, inFlight, numerator, denominator),
        divide(rows, Measurement.WARM, value, inFlight, numerator, denominator));
  }

  private static double divide(
      List<Measurement> rows,
      String phase,
      ToDoubleFunction<Measurement> value,
      int inFlight,
      String numerator,
      String denominator) {
    double top = find(rows, phase, inFlight, numerator, value);
    double bottom = find(rows, phase, inFlight, denominator, value);
    return bottom > 0 ? top / bottom : Double.NaN;
  }

  private static double find(
      List<Measurement> rows,
      String phase,
      int inFlight,
      String scenario,
      ToDoubleFunction<Measurement> value) {
    return rows.stream()
        .filter(
            row ->
                !row.failed()
                    && row.phase().equals(phase)
                    && row.inFlight() == inFlight
                    && row.scenario().equals(scenario))
        .mapToDouble(value)
        .findFirst()
        .orElse(Double.NaN);
  }
}
