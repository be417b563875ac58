package dev.iii.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The results of the {@code modules} benchmark and their table. Used by one harness thread. */
final class ModulesTable {

  private ModulesTable() {}

  /**
   * One side's window: operations, their rate, the CPU the engine and the load process used per
   * operation (microseconds), and what every other process used (percent of the whole machine).
   */
  record Side(
      long ops,
      double opsPerSecond,
      double engineCpuUsPerOp,
      double clientCpuUsPerOp,
      double otherCpuPercent) {}

  /** One operation's results; a side is null when it failed ({@link #errors} says why). */
  static final class Row {
    final String op;
    @Nullable Side java;
    @Nullable Side node;
    final List<String> errors = new ArrayList<>();

    Row(String op) {
      this.op = op;
    }
  }

  /** The CPU of every other process during a window, in percent of the whole machine. */
  static double otherPercent(
      ProcStats.MachineSample before, ProcStats.MachineSample after, long ourTicks) {
    long capacity = after.totalTicks() - before.totalTicks();
    long others = Math.max(0, after.busyTicks() - before.busyTicks() - ourTicks);
    return capacity > 0 ? Math.min(100.0, 100.0 * others / capacity) : Double.NaN;
  }

  /** Prints the table: per operation the rate of each side, their ratio, CPU per operation. */
  static void print(PrintStream out, List<Row> rows, int inFlight, BenchmarkOptions options) {
    out.printf(
        Locale.ROOT,
        "%nmodules: %d operations in flight, a %d s window after a %d s warm-up;"
            + " CPU in us per operation%n",
        inFlight,
        options.measure().toSeconds(),
        options.warmup().toSeconds());
    String format = "  %-30s %10s %10s %9s  |  %12s %12s  |  %11s %11s  |  %s%n";
    out.printf(
        Locale.ROOT,
        format,
        "operation",
        "Java ops/s",
        "Node ops/s",
        "java/node",
        "engine(Java)",
        "engine(Node)",
        "client Java",
        "client Node",
        "other CPU % (Java, Node)");
    for (Row row : rows) {
      Side java = row.java;
      Side node = row.node;
      out.printf(
          Locale.ROOT,
          format,
          describe(row.op),
          java == null ? "FAILED" : number("%,.0f", java.opsPerSecond()),
          node == null ? "FAILED" : number("%,.0f", node.opsPerSecond()),
          java == null || node == null
              ? "-"
              : number("%.2f", java.opsPerSecond() / node.opsPerSecond()),
          java == null ? "-" : number("%.1f", java.engineCpuUsPerOp()),
          node == null ? "-" : number("%.1f", node.engineCpuUsPerOp()),
          java == null ? "-" : number("%.1f", java.clientCpuUsPerOp()),
          node == null ? "-" : number("%.1f", node.clientCpuUsPerOp()),
          (java == null ? "-" : number("%.0f", java.otherCpuPercent()))
              + ", "
              + (node == null ? "-" : number("%.0f", node.otherCpuPercent())));
      row.errors.forEach(error -> out.println("    " + row.op + " FAILED " + error));
    }
  }

  /** What one operation of {@code op} is, as printed in the table. */
  static String describe(String op) {
    return switch (op) {
      case "state" -> "state::set + state::get (pair)";
      case "publish" -> "publish -> subscriber";
      case "enqueue" -> "enqueue -> job processed";
      default -> op;
    };
  }

  private static String number(String format, double value) {
    return String.format(Locale.ROOT, format, value);
  }
}
