package dev.iii.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's entry point. Without a role it is the harness: it starts the engine, workers and
 * callers as separate processes, measures every scenario cold and warm, prints the tables and
 * ratios and writes {@code results-<timestamp>.json}. With a role as first argument it is one of
 * those processes:
 *
 * <pre>
 * java -jar iii-benchmarks.jar [options]                     the harness (see --help)
 * java -jar iii-benchmarks.jar modules [options]             the modules benchmark (ModulesBenchmark)
 * java -cp iii-benchmarks.jar dev.iii.bench.BenchmarkMain worker --url ws://… [--http]
 *                                                  … caller --url ws://… --mode blocking|async
 *                                                  … http-load --url http://…/bench/echo
 *                                                  … webflux
 * </pre>
 */
public final class BenchmarkMain {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    String role = args.length > 0 ? args[0] : "";
    switch (role) {
      case "worker" -> JavaWorker.run(new RoleArguments(args, 1));
      case "caller" -> JavaCaller.run(new RoleArguments(args, 1));
      case "http-load" -> HttpLoad.run(new RoleArguments(args, 1));
      case "webflux" -> WebFluxServer.run(new RoleArguments(args, 1));
      case "modules" ->
          System.exit(ModulesBenchmark.main(Arrays.copyOfRange(args, 1, args.length)));
      default -> System.exit(harness(args));
    }
    System.exit(0);
  }

  /** Runs the benchmark; returns the exit code (0: every scenario measured, 1: some failed). */
  private static int harness(String[] args) throws IOException {
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("iii-benchmarks: " + e.getMessage());
      System.err.print(BenchmarkOptions.USAGE);
      return 2;
    }
    if (options == null) {
      return 0;
    }
    String problem = checkPrerequisites(options);
    if (problem != null) {
      System.err.println("iii-benchmarks: " + problem);
      return 2;
    }
    String stamp = LocalDateTime.now().format(STAMP);
    Path logDir = options.outputDir().resolve("bench-logs").resolve(stamp);
    Map<String, Object> machine = machine(options);
    System.out.println("iii-benchmarks: " + describe(machine));
    System.out.println(
        "scenarios "
            + options.scenarios().stream().map(Scenario::name).toList()
            + ", in flight "
            + options.inFlight()
            + ", JVM flags "
            + options.jvmFlags()
            + "; about "
            + minutes(options.estimatedRunTime().multipliedBy(options.repeat()))
            + "; process logs in "
            + logDir);

    warnIfBusy();

    List<List<Measurement>> runs = new ArrayList<>();
    List<List<Ratios.Ratio>> ratios = new ArrayList<>();
    for (int run = 1; run <= options.repeat(); run++) {
      ScenarioRunner runner =
          new ScenarioRunner(
              options, options.repeat() == 1 ? logDir : logDir.resolve("run-" + run));
      List<Measurement> rows = new ArrayList<>();
      for (Scenario scenario : options.scenarios()) {
        rows.addAll(runner.run(scenario));
      }
      List<Ratios.Ratio> runRatios =
          Ratios.compute(rows, options.lowestInFlight(), options.highestInFlight());
      runs.add(rows);
      ratios.add(runRatios);
      ResultTables.printRun(
          System.out, "run " + run + " of " + options.repeat(), rows, runRatios, options);
    }
    if (options.repeat() > 1) {
      ResultTables.printSpread(System.out, runs, ratios);
    }
    Path results = options.outputDir().resolve("results-" + stamp + ".json");
    ResultsJson.write(results, options, machine, runs, ratios);
    System.out.println();
    System.out.println("results: " + results);
    long failed = runs.stream().flatMap(List::stream).filter(Measurement::failed).count();
    if (failed > 0) {
      System.err.println("iii-benchmarks: " + failed + " measurement(s) FAILED, see above");
      return 1;
    }
    return 0;
  }

  /** Tells when other processes already keep the machine busy (they skew every figure). */
  private static void warnIfBusy() {
    ProcStats.MachineSample before = ProcStats.machine();
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    ProcStats.MachineSample after = ProcStats.machine();
    long total = after.totalTicks() - before.totalTicks();
    double busyPercent = total > 0 ? 100.0 * (after.busyTicks() - before.busyTicks()) / total : 0;
    if (busyPercent > ResultTables.BUSY_MACHINE_PERCENT) {
      System.out.printf(
          Locale.ROOT,
          "warning: before starting, other processes keep %.0f%% of the machine busy;"
              + " calls/s and latencies will be understated (see the column other CPU %%)%n",
          busyPercent);
    }
  }

  /** What must exist before anything starts; {@code null} when all is there. */
  private static @Nullable String checkPrerequisites(BenchmarkOptions options) throws IOException {
    if (!ProcStats.available()) {
      return "needs Linux: CPU time and context switches are read from /proc";
    }
    if (!Files.isRegularFile(options.engineJar())) {
      return "no engine jar at "
          + options.engineJar()
          + ": build it with `./mvnw -B -q -pl iii-benchmarks -am package -DskipTests`";
    }
    if (options.scenarios().stream().anyMatch(Scenario::usesNode)) {
      return installNodeSdk(options);
    }
    return null;
  }

  /** Runs {@code npm ci} in the Node directory unless the SDK is installed; a problem or null. */
  private static @Nullable String installNodeSdk(BenchmarkOptions options) throws IOException {
    if (Files.isDirectory(options.nodeDir().resolve("node_modules").resolve("iii-sdk"))) {
      return null;
    }
    Path nodeBin = Path.of(options.node()).getParent();
    String npm =
        nodeBin != null && Files.isExecutable(nodeBin.resolve("npm"))
            ? nodeBin.resolve("npm").toString()
            : "npm";
    System.out.println("installing the Node SDK: npm ci in " + options.nodeDir());
    try {
      int exit =
          new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
              .directory(options.nodeDir().toFile())
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start()
              .waitFor();
      return exit == 0
          ? null
          : "npm ci failed in " + options.nodeDir() + " (exit code " + exit + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted during npm ci";
    }
  }

  /** Facts about the machine and the runtimes, for the output and the JSON. */
  private static Map<String, Object> machine(BenchmarkOptions options) {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    machine.put("cpuModel", cpuModel());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("java", firstLine(options.java(), "-version"));
    if (options.scenarios().stream().anyMatch(Scenario::usesNode)) {
      machine.put("node", firstLine(options.node(), "--version"));
    }
    machine.put("clockTicksPerSecond", ProcStats.clockTicksPerSecond());
    return machine;
  }

  private static String describe(Map<String, Object> machine) {
    return machine.get("cpus")
        + " CPUs ("
        + machine.get("cpuModel")
        + "), "
        + machine.get("java")
        + (machine.containsKey("node") ? ", node " + machine.get("node") : "");
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The first line a command prints (stdout and stderr together), or "unknown". */
  private static String firstLine(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return out.lines().findFirst().orElse("unknown").trim();
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String minutes(Duration duration) {
    long seconds = duration.toSeconds();
    return seconds < 120 ? seconds + " s" : Math.round(seconds / 60.0) + " min";
  }
}
