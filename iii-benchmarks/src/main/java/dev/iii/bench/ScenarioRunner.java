package dev.iii.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures one scenario at every number of calls in flight, cold and warm.
 *
 * <p>Cold: for each number of calls in flight, fresh processes, and a window that opens as soon as
 * the caller is ready. Warm: the processes of the last cold window (the highest number in flight)
 * go on calling for the warm-up, then one window per number in flight, highest first, each after a
 * short pause to settle. Each window: the process counters are read, the caller is told {@code
 * start}, the harness sleeps, the caller is told {@code stop} and the counters are read again.
 *
 * <p>Used by one harness thread.
 */
final class ScenarioRunner {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(90);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final BenchmarkOptions options;
  private final Path logDir;

  /**
   * @param logDir where the processes' stderr logs go
   */
  ScenarioRunner(BenchmarkOptions options, Path logDir) {
    this.options = options;
    this.logDir = logDir;
  }

  /**
   * Measures {@code scenario}. Never throws for a failure of the scenario: its rows then say what
   * failed.
   *
   * @return cold rows (ascending in flight), then warm rows (descending)
   */
  List<Measurement> run(Scenario scenario) {
    List<Measurement> rows = new ArrayList<>();
    List<Integer> levels = options.inFlight();
    int highest = options.highestInFlight();
    for (int level : levels.subList(0, levels.size() - 1)) {
      try (ScenarioProcesses processes = start(scenario, Measurement.COLD, level)) {
        rows.add(window(scenario, processes, Measurement.COLD, level, options.cold(), true));
      } catch (BenchmarkFailure e) {
        rows.add(failed(scenario, Measurement.COLD, level, e.getMessage()));
      }
    }
    List<Integer> warmLevels = new ArrayList<>(levels);
    warmLevels.sort((a, b) -> Integer.compare(b, a));
    String failure = null;
    try (ScenarioProcesses processes = start(scenario, Measurement.COLD, highest)) {
      rows.add(window(scenario, processes, Measurement.COLD, highest, options.cold(), true));
      progress(scenario, "warm-up " + seconds(options.warmup()) + " @" + highest);
      sleep(options.warmup());
      int current = highest;
      for (int level : warmLevels) {
        if (level != current) {
          processes.caller().send("load " + level);
          current = level;
          sleep(options.settle());
        }
        rows.add(window(scenario, processes, Measurement.WARM, level, options.measure(), false));
      }
    } catch (BenchmarkFailure e) {
      failure = e.getMessage();
    }
    if (failure != null) {
      if (!has(rows, Measurement.COLD, highest)) {
        rows.add(failed(scenario, Measurement.COLD, highest, failure));
      }
      for (int level : warmLevels) {
        if (!has(rows, Measurement.WARM, level)) {
          rows.add(failed(scenario, Measurement.WARM, level, failure));
        }
      }
    }
    return rows;
  }

  private static boolean has(List<Measurement> rows, String phase, int level) {
    return rows.stream().anyMatch(row -> row.phase().equals(phase) && row.inFlight() == level);
  }

  private ScenarioProcesses start(Scenario scenario, String phase, int level) {
    progress(scenario, "starting processes (" + phase + " @" + level + ")");
    String label = scenario.name().replace('/', '_') + "-" + phase + "-" + level;
    return ScenarioProcesses.start(scenario, options, logDir.resolve(label));
  }

  /**
   * One measurement window.
   *
   * @param startLoad whether the calls start with the window (cold) rather than already run
   */
  private Measurement window(
      Scenario scenario,
      ScenarioProcesses processes,
      String phase,
      int level,
      Duration length,
      boolean startLoad) {
    ChildProcess caller = processes.caller();
    ScenarioProcesses.Samples before = processes.sample();
    caller.send("start");
    if (startLoad) {
      caller.send("load " + level);
    }
    sleep(length);
    caller.send("stop");
    ScenarioProcesses.Samples after = processes.sample();
    String line = caller.awaitLine("result ", RESULT_TIMEOUT);
    JsonNode report = JSON.readTree(line.substring("result ".length()));
    ProcStats.Sample engineBefore = before.engine();
    ProcStats.Sample engineAfter = after.engine();
    Measurement row =
        Measurement.of(
            scenario.name(),
            phase,
            level,
            report,
            new Measurement.PerProcess(
                after.caller().cpuMicrosSince(before.caller()),
                after.worker().cpuMicrosSince(before.worker()),
                engineAfter == null || engineBefore == null
                    ? Double.NaN
                    : engineAfter.cpuMicrosSince(engineBefore)),
            new Measurement.PerProcess(
                after.caller().contextSwitchesSince(before.caller()),
                after.worker().contextSwitchesSince(before.worker()),
                engineAfter == null || engineBefore == null
                    ? Double.NaN
                    : engineAfter.contextSwitchesSince(engineBefore)),
            after.otherCpuPercentSince(before));
    if (row.failed()) {
      System.err.printf(
          "%s FAILED %s %s @%d: %s%n", time(), scenario.name(), phase, level, row.failure());
    } else {
      progress(
          scenario,
          String.format(
              Locale.ROOT,
              "%s @%d: %,.0f calls/s, p50 %.0f us, p99 %.0f us; other processes %.0f%% CPU",
              phase,
              level,
              row.callsPerSecond(),
              row.p50Us(),
              row.p99Us(),
              row.otherCpuPercent()));
    }
    return row;
  }

  private static Measurement failed(Scenario scenario, String phase, int level, String failure) {
    System.err.printf("%s FAILED %s %s @%d: %s%n", time(), scenario.name(), phase, level, failure);
    return Measurement.failed(scenario.name(), phase, level, failure);
  }

  private static void progress(Scenario scenario, String what) {
    System.err.printf("%s %-20s %s%n", time(), scenario.name(), what);
  }

  private static String time() {
    return LocalTime.now().format(CLOCK);
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.0f s", duration.toMillis() / 1000.0);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchmarkFailure("interrupted", e);
    }
  }
}
