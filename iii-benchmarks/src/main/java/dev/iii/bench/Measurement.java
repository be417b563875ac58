package dev.iii.bench;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The figures of one scenario, phase and number of calls in flight: one row of a table.
 *
 * @param scenario the scenario's name
 * @param phase {@code cold} or {@code warm}
 * @param inFlight calls kept in flight
 * @param calls calls completed in the window
 * @param errors calls failed in the window
 * @param errorsTotal calls failed since the caller started (warm-up included)
 * @param seconds the window's length as the caller measured it
 * @param p50Us median latency, µs
 * @param p99Us 99th percentile latency, µs
 * @param maxUs highest latency, µs
 * @param cpuMicrosPerCall CPU time per call of each process, µs
 * @param contextSwitchesPerCall context switches per call of each process
 * @param otherCpuPercent CPU used by other processes of the machine during the window, in percent
 *     of the whole machine
 * @param failure why the row has no figures, or {@code null}
 */
record Measurement(
    String scenario,
    String phase,
    int inFlight,
    long calls,
    long errors,
    long errorsTotal,
    double seconds,
    double p50Us,
    double p99Us,
    double maxUs,
    PerProcess cpuMicrosPerCall,
    PerProcess contextSwitchesPerCall,
    double otherCpuPercent,
    @Nullable String failure) {

  /** The phase right after the processes started. */
  static final String COLD = "cold";

  /** The phase after the warm-up. */
  static final String WARM = "warm";

  /**
   * One figure for each process; {@link Double#NaN} where there is no such process (the WebFlux
   * baseline has no engine) or no figure.
   */
  record PerProcess(double caller, double worker, double engine) {

    static final PerProcess NONE = new PerProcess(Double.NaN, Double.NaN, Double.NaN);
  }

  /** Calls completed per second of the window. */
  double callsPerSecond() {
    return seconds > 0 ? calls / seconds : Double.NaN;
  }

  /** Whether the row has no valid figures (a process failed or a call failed). */
  boolean failed() {
    return failure != null;
  }

  /**
   * A row from a caller's {@code result} report and the process counters of the window.
   *
   * @param report the caller's JSON (see {@link CallStats#stopWindow()})
   */
  static Measurement of(
      String scenario,
      String phase,
      int inFlight,
      JsonNode report,
      Measurement.PerProcess cpuMicros,
      Measurement.PerProcess contextSwitches,
      double otherCpuPercent) {
    long calls = report.path("calls").asLong();
    long errors = report.path("errors").asLong();
    long errorsTotal = report.path("errorsTotal").asLong();
    String failure = null;
    if (errors > 0 || errorsTotal > 0) {
      failure =
          errorsTotal
              + " call(s) failed ("
              + errors
              + " in the window), first: "
              + report.path("firstError").asString("?");
    } else if (calls == 0) {
      failure = "no call completed in the window";
    }
    return new Measurement(
        scenario,
        phase,
        inFlight,
        calls,
        errors,
        errorsTotal,
        report.path("seconds").asDouble(),
        report.path("p50Us").asDouble(),
        report.path("p99Us").asDouble(),
        report.path("maxUs").asDouble(),
        perCall(cpuMicros, calls),
        perCall(contextSwitches, calls),
        otherCpuPercent,
        failure);
  }

  /** A row for a window that could not be measured. */
  static Measurement failed(String scenario, String phase, int inFlight, String failure) {
    return new Measurement(
        scenario,
        phase,
        inFlight,
        0,
        0,
        0,
        0,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        PerProcess.NONE,
        PerProcess.NONE,
        Double.NaN,
        failure);
  }

  private static PerProcess perCall(PerProcess totals, long calls) {
    if (calls == 0) {
      return PerProcess.NONE;
    }
    return new PerProcess(
        totals.caller() / calls, totals.worker() / calls, totals.engine() / calls);
  }
}
