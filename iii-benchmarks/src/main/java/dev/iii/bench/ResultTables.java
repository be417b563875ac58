package dev.iii.bench;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Prints the results: one table per phase, the ratios, and the spread over repeated runs. */
final class ResultTables {

  private static final Comparator<Measurement> ROW_ORDER =
      Comparator.comparingInt((Measurement row) -> scenarioIndex(row.scenario()))
          .thenComparingInt(Measurement::inFlight);

  /** Above this much CPU used by other processes, a row is marked as measured on a busy machine. */
  static final int BUSY_MACHINE_PERCENT = 10;

  private ResultTables() {}

  /** Prints one run: the cold table, the warm table, then the ratios. */
  static void printRun(
      PrintStream out,
      String title,
      List<Measurement> rows,
      List<Ratios.Ratio> ratios,
      BenchmarkOptions options) {
    out.println();
    out.println("=== " + title + " ===");
    printPhase(
        out,
        rows,
        Measurement.COLD,
        "cold: a "
            + seconds(options.cold().toMillis())
            + " window right after the processes start");
    printPhase(
        out,
        rows,
        Measurement.WARM,
        "warm: a "
            + seconds(options.measure().toMillis())
            + " window after a "
            + seconds(options.warmup().toMillis())
            + " warm-up");
    out.println();
    out.println("ratios");
    TextTable table = new TextTable("", "cold", "warm", "reading").leftAlignFrom(3);
    for (Ratios.Ratio ratio : ratios) {
      table.row(ratio.label(), ratio(ratio.cold()), ratio(ratio.warm()), ratio.reading());
    }
    table.print(out);
  }

  private static void printPhase(
      PrintStream out, List<Measurement> rows, String phase, String title) {
    out.println();
    out.println(title);
    TextTable table =
        new TextTable(
            "scenario",
            "in flight",
            "calls/s",
            "p50 us",
            "p99 us",
            "|",
            "CPU us/call: caller",
            "worker",
            "engine",
            "|",
            "ctx sw/call: caller",
            "worker",
            "engine",
            "|",
            "other CPU %");
    rows.stream()
        .filter(row -> row.phase().equals(phase))
        .sorted(ROW_ORDER)
        .forEach(
            row -> {
              String failure = row.failure();
              if (failure != null) {
                table.row(
                    row.scenario(),
                    Integer.toString(row.inFlight()),
                    "FAILED",
                    "",
                    "",
                    "|",
                    "",
                    "",
                    "",
                    "|",
                    "",
                    "",
                    "",
                    "|",
                    "");
                table.note(
                    "FAILED " + row.scenario() + " @" + row.inFlight() + ": " + firstLine(failure));
                return;
              }
              table.row(
                  row.scenario(),
                  Integer.toString(row.inFlight()),
                  String.format(Locale.ROOT, "%,.0f", row.callsPerSecond()),
                  micros(row.p50Us()),
                  micros(row.p99Us()),
                  "|",
                  number(row.cpuMicrosPerCall().caller(), "%.1f"),
                  number(row.cpuMicrosPerCall().worker(), "%.1f"),
                  number(row.cpuMicrosPerCall().engine(), "%.1f"),
                  "|",
                  number(row.contextSwitchesPerCall().caller(), "%.2f"),
                  number(row.contextSwitchesPerCall().worker(), "%.2f"),
                  number(row.contextSwitchesPerCall().engine(), "%.2f"),
                  "|",
                  number(row.otherCpuPercent(), "%.0f")
                      + (row.otherCpuPercent() > BUSY_MACHINE_PERCENT ? " *" : ""));
            });
    if (rows.stream()
        .anyMatch(
            row -> row.phase().equals(phase) && row.otherCpuPercent() > BUSY_MACHINE_PERCENT)) {
      table.note(
          "* other processes used over "
              + BUSY_MACHINE_PERCENT
              + "% of the machine during the window: calls/s and latency of that row are"
              + " understated");
    }
    table.print(out);
  }

  /** Prints, for each row and ratio, the lowest and highest value over all runs. */
  static void printSpread(
      PrintStream out, List<List<Measurement>> runs, List<List<Ratios.Ratio>> ratios) {
    out.println();
    out.println("=== spread over " + runs.size() + " runs (min-max) ===");
    List<Measurement> first = runs.get(0);
    for (String phase : List.of(Measurement.COLD, Measurement.WARM)) {
      out.println();
      out.println(phase);
      TextTable table =
          new TextTable(
              "scenario",
              "in flight",
              "calls/s",
              "p50 us",
              "p99 us",
              "CPU us/call caller",
              "worker",
              "engine");
      first.stream()
          .filter(row -> row.phase().equals(phase))
          .sorted(ROW_ORDER)
          .forEach(
              row -> {
                List<Measurement> same =
                    runs.stream()
                        .flatMap(List::stream)
                        .filter(
                            other ->
                                !other.failed()
                                    && other.phase().equals(phase)
                                    && other.scenario().equals(row.scenario())
                                    && other.inFlight() == row.inFlight())
                        .toList();
                table.row(
                    row.scenario(),
                    Integer.toString(row.inFlight()),
                    range(same, Measurement::callsPerSecond, "%,.0f"),
                    range(same, Measurement::p50Us, "%.0f"),
                    range(same, Measurement::p99Us, "%.0f"),
                    range(same, r -> r.cpuMicrosPerCall().caller(), "%.1f"),
                    range(same, r -> r.cpuMicrosPerCall().worker(), "%.1f"),
                    range(same, r -> r.cpuMicrosPerCall().engine(), "%.1f"));
              });
      table.print(out);
    }
    out.println();
    out.println("ratios");
    TextTable table = new TextTable("", "cold", "warm");
    for (int i = 0; i < ratios.get(0).size(); i++) {
      int index = i;
      List<Ratios.Ratio> same = ratios.stream().map(run -> run.get(index)).toList();
      table.row(
          same.get(0).label(),
          rangeOf(same.stream().mapToDouble(Ratios.Ratio::cold).toArray(), "%.2f"),
          rangeOf(same.stream().mapToDouble(Ratios.Ratio::warm).toArray(), "%.2f"));
    }
    table.print(out);
  }

  private static String range(
      List<Measurement> rows, ToDoubleFunction<Measurement> value, String format) {
    return rangeOf(rows.stream().mapToDouble(value).toArray(), format);
  }

  private static String rangeOf(double[] values, String format) {
    DoubleSummaryStatistics stats = new DoubleSummaryStatistics();
    for (double value : values) {
      if (!Double.isNaN(value)) {
        stats.accept(value);
      }
    }
    if (stats.getCount() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, format, stats.getMin())
        + "-"
        + String.format(Locale.ROOT, format, stats.getMax());
  }

  private static String micros(double value) {
    return number(value, value < 10 ? "%.1f" : "%.0f");
  }

  private static String number(double value, String format) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0
        ? (millis / 1000) + " s"
        : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline) + " ...";
  }

  private static int scenarioIndex(String name) {
    for (int i = 0; i < Scenario.ALL.size(); i++) {
      if (Scenario.ALL.get(i).name().equals(name)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }
}
