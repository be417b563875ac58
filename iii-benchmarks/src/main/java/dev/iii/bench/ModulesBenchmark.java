package dev.iii.bench;

import dev.iii.bench.ModulesTable.Row;
import dev.iii.bench.ModulesTable.Side;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code modules} benchmark: the engine's state, pub/sub and queue modules driven by an
 * iii-core process and by an official Node SDK process, one after the other, with the same
 * operations, payload and in-flight window, on one engine.
 *
 * <pre>
 * java -jar iii-benchmarks.jar modules [--warmup 10s] [--measure 8s] [--inflight 64]
 * </pre>
 *
 * <p>Also takes {@code --node}, {@code --java}, {@code --jvm-flags}, {@code --engine-jar}, {@code
 * --node-dir} and {@code --output-dir} as the main harness does; with several {@code --inflight}
 * numbers the highest is used. Used by one thread.
 */
final class ModulesBenchmark {

  /** The operations, in the order they run; see {@link ModuleLoad} for what one operation is. */
  static final List<String> OPERATIONS = List.of("state", "publish", "enqueue");

  /** The defaults, placed before the user's arguments (later options win). */
  static final List<String> DEFAULTS =
      List.of("--warmup", "10s", "--measure", "8s", "--inflight", "64");

  /**
   * The engine's config: state, pub/sub and the queue with the queue {@code bench} (concurrency
   * 64); the REST API and streams too, as the official default config has them (unused here); every
   * listener on 127.0.0.1.
   */
  static final String ENGINE_CONFIG =
      """
      workers:
        - name: iii-worker-manager
          config:
            host: 127.0.0.1
        - name: iii-http
          config:
            host: 127.0.0.1
        - name: iii-stream
          config:
            host: 127.0.0.1
        - name: iii-state
        - name: iii-pubsub
        - name: iii-queue
          config:
            queue_configs:
              bench:
                concurrency: 64
      """;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern ENGINE_READY = Pattern.compile("iii engine ready: workers (\\S+)");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ModulesBenchmark() {}

  /**
   * The {@code modules} command: the benchmark, or with {@code load} first one load process ({@link
   * ModuleLoad}: {@code modules load --url ws://… --op state|publish|enqueue}).
   *
   * @param args the arguments after {@code modules}
   * @return the exit code
   */
  static int main(String[] args) throws IOException, InterruptedException {
    if (args.length > 0 && args[0].equals("load")) {
      ModuleLoad.run(new RoleArguments(args, 1));
      return 0;
    }
    return run(args);
  }

  /** The options of this benchmark: {@link #DEFAULTS}, then {@code args}. */
  static @Nullable BenchmarkOptions options(String[] args) {
    List<String> all = new ArrayList<>(DEFAULTS);
    all.addAll(List.of(args));
    return BenchmarkOptions.parse(all.toArray(String[]::new));
  }

  /**
   * Runs the benchmark and prints the table; returns the exit code (0 measured, 1 a side failed, 2
   * bad arguments or missing prerequisites).
   *
   * @param args the arguments after {@code modules}
   */
  static int run(String[] args) throws IOException {
    BenchmarkOptions options;
    try {
      options = options(args);
    } catch (IllegalArgumentException e) {
      System.err.println("iii-benchmarks modules: " + e.getMessage());
      return 2;
    }
    if (options == null) {
      return 0;
    }
    if (!ProcStats.available() || !Files.isRegularFile(options.engineJar())) {
      System.err.println(
          "iii-benchmarks modules: needs Linux (/proc) and the engine jar at "
              + options.engineJar());
      return 2;
    }
    if (!Files.isDirectory(options.nodeDir().resolve("node_modules").resolve("iii-sdk"))) {
      System.err.println(
          "iii-benchmarks modules: no Node SDK: run `npm ci` in " + options.nodeDir());
      return 2;
    }
    int inFlight = options.highestInFlight();
    Path logDir =
        options
            .outputDir()
            .resolve("bench-logs")
            .resolve(
                "modules-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(logDir);
    Path config = logDir.resolve("engine-config.yaml");
    Files.writeString(config, ENGINE_CONFIG);
    System.err.printf(
        Locale.ROOT,
        "modules: %s, %d in flight, warm-up %d s, window %d s; logs in %s%n",
        OPERATIONS,
        inFlight,
        options.warmup().toSeconds(),
        options.measure().toSeconds(),
        logDir);

    List<String> engineCommand = new ArrayList<>();
    engineCommand.add(options.java());
    engineCommand.addAll(options.jvmFlags());
    engineCommand.addAll(
        List.of(
            "-jar",
            options.engineJar().toString(),
            "--port",
            "0",
            "--http-port",
            "0",
            "--stream-port",
            "0",
            "--config",
            config.toString()));
    List<Row> rows = new ArrayList<>();
    try (ChildProcess engine =
        ChildProcess.start(
            "engine",
            engineCommand,
            logDir,
            Map.of("OTEL_ENABLED", "false"),
            logDir.resolve("engine.log"),
            false)) {
      Matcher ready = ENGINE_READY.matcher(engine.awaitLine("iii engine ready", START_TIMEOUT));
      if (!ready.find()) {
        throw new BenchmarkFailure(engine.describe("printed an unexpected ready line"));
      }
      String url = ready.group(1);
      for (String op : OPERATIONS) {
        Row row = new Row(op);
        row.java = measure(op, javaCommand(options, url, op), null, engine, options, logDir, row);
        row.node =
            measure(
                op,
                List.of(
                    options.node(),
                    "modules.mjs",
                    "--url",
                    url,
                    "--payload",
                    Payload.JSON,
                    "--op",
                    op),
                options.nodeDir(),
                engine,
                options,
                logDir,
                row);
        rows.add(row);
      }
    } catch (BenchmarkFailure e) {
      System.err.println("iii-benchmarks modules: " + e.getMessage());
      return 1;
    }
    ModulesTable.print(System.out, rows, inFlight, options);
    return rows.stream().anyMatch(row -> !row.errors.isEmpty()) ? 1 : 0;
  }

  private static List<String> javaCommand(BenchmarkOptions options, String url, String op) {
    List<String> command = new ArrayList<>();
    command.add(options.java());
    command.addAll(options.jvmFlags());
    command.addAll(
        List.of(
            "-cp",
            options.classPath(),
            BenchmarkMain.class.getName(),
            "modules",
            "load",
            "--url",
            url,
            "--op",
            op));
    return command;
  }

  /**
   * Starts one load process, warms up, measures one window; null (and an error in row) on failure.
   */
  private static @Nullable Side measure(
      String op,
      List<String> command,
      @Nullable Path directory,
      ChildProcess engine,
      BenchmarkOptions options,
      Path logDir,
      Row row) {
    String side = command.get(0).equals(options.node()) ? "node" : "java";
    System.err.printf(Locale.ROOT, "  %-8s %-5s ...%n", op, side);
    try (ChildProcess load =
        ChildProcess.start(
            side,
            command,
            directory != null ? directory : logDir,
            Map.of("OTEL_ENABLED", "false"),
            logDir.resolve(op + "-" + side + ".log"),
            true)) {
      load.awaitLine("ready", START_TIMEOUT);
      load.send("load " + options.highestInFlight());
      sleep(options.warmup());
      long engineBefore = ProcStats.sample(engine.pid()).cpuTicks();
      long loadBefore = ProcStats.sample(load.pid()).cpuTicks();
      ProcStats.MachineSample machineBefore = ProcStats.machine();
      load.send("start");
      sleep(options.measure());
      load.send("stop");
      long engineTicks = ProcStats.sample(engine.pid()).cpuTicks() - engineBefore;
      long loadTicks = ProcStats.sample(load.pid()).cpuTicks() - loadBefore;
      ProcStats.MachineSample machineAfter = ProcStats.machine();
      String line = load.awaitLine("result ", RESULT_TIMEOUT);
      load.send("load 0");
      load.send("quit");
      JsonNode report = JSON.readTree(line.substring("result ".length()));
      long ops = report.path("calls").asLong();
      long errors = report.path("errorsTotal").asLong();
      if (errors > 0 || ops == 0) {
        row.errors.add(
            side + ": " + errors + " error(s), first: " + report.path("firstError").asString(""));
        return null;
      }
      double micros = 1e6 / ProcStats.clockTicksPerSecond();
      return new Side(
          ops,
          ops / report.path("seconds").asDouble(),
          engineTicks * micros / ops,
          loadTicks * micros / ops,
          ModulesTable.otherPercent(machineBefore, machineAfter, engineTicks + loadTicks));
    } catch (BenchmarkFailure e) {
      row.errors.add(side + ": " + e.getMessage());
      return null;
    }
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
