package dev.iii.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The processes of one scenario, started in order (engine, worker, caller), each ready before the
 * next starts, and stopped in reverse order.
 *
 * <p>Used by one harness thread.
 */
final class ScenarioProcesses implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern ENGINE_READY =
      Pattern.compile("iii engine ready: workers (\\S+) \\| http (\\S+)");
  private static final Pattern WEBFLUX_READY = Pattern.compile("ready (\\S+)");

  private final List<ChildProcess> started = new ArrayList<>();
  private @Nullable ChildProcess engine;
  private @Nullable ChildProcess worker;
  private @Nullable ChildProcess caller;

  private ScenarioProcesses() {}

  /**
   * The counters of the three processes at one moment ({@code engine} null without engine), and the
   * busy time of the whole machine.
   */
  record Samples(
      ProcStats.Sample caller,
      ProcStats.Sample worker,
      ProcStats.@Nullable Sample engine,
      ProcStats.MachineSample machine) {

    /**
     * The CPU the machine spent on other processes since {@code earlier}, in percent of the whole
     * machine (other benchmarks or builds running at the same time skew the figures).
     */
    double otherCpuPercentSince(Samples earlier) {
      long ours =
          caller.cpuTicks()
              - earlier.caller.cpuTicks()
              + worker.cpuTicks()
              - earlier.worker.cpuTicks()
              + (engine == null || earlier.engine == null
                  ? 0
                  : engine.cpuTicks() - earlier.engine.cpuTicks());
      long others = Math.max(0, machine.busyTicks() - earlier.machine.busyTicks() - ours);
      long capacity = machine.totalTicks() - earlier.machine.totalTicks();
      return capacity > 0 ? Math.min(100.0, 100.0 * others / capacity) : Double.NaN;
    }
  }

  /**
   * Starts the processes of {@code scenario} and waits until the caller has had a first answer.
   *
   * @param logPrefix where their stderr goes: {@code <logPrefix>-engine.log} and so on
   * @throws BenchmarkFailure when one does not start; those already started are stopped
   */
  static ScenarioProcesses start(Scenario scenario, BenchmarkOptions options, Path logPrefix) {
    ScenarioProcesses processes = new ScenarioProcesses();
    try {
      processes.startAll(scenario, options, logPrefix);
      return processes;
    } catch (RuntimeException e) {
      processes.close();
      throw e;
    }
  }

  private void startAll(Scenario scenario, BenchmarkOptions options, Path logPrefix) {
    String wsUrl = null;
    String httpUrl = null;
    if (scenario.usesEngine()) {
      List<String> command = java(options);
      command.addAll(
          List.of(
              "-jar",
              options.engineJar().toString(),
              "--port",
              "0",
              "--http-port",
              "0",
              "--stream-port",
              "0"));
      engine = launch("engine", command, options.outputDir(), logPrefix);
      Matcher ready = ENGINE_READY.matcher(engine.awaitLine("iii engine ready", START_TIMEOUT));
      if (!ready.find()) {
        throw new BenchmarkFailure(engine.describe("printed an unexpected ready line"));
      }
      wsUrl = ready.group(1);
      httpUrl = ready.group(2);
    }
    worker =
        switch (scenario.worker()) {
          case JAVA ->
              launch("worker", role(options, "worker", "--url", engine(wsUrl)), null, logPrefix);
          case JAVA_HTTP ->
              launch(
                  "worker",
                  role(options, "worker", "--url", engine(wsUrl), "--http"),
                  null,
                  logPrefix);
          case NODE ->
              launch(
                  "worker",
                  List.of(options.node(), "worker.mjs", "--url", engine(wsUrl)),
                  options.nodeDir(),
                  logPrefix);
          case WEBFLUX -> launch("worker", role(options, "webflux"), null, logPrefix);
        };
    String workerReady = worker.awaitLine("ready", START_TIMEOUT);
    if (scenario.worker() == Scenario.WorkerKind.WEBFLUX) {
      Matcher ready = WEBFLUX_READY.matcher(workerReady);
      if (!ready.find()) {
        throw new BenchmarkFailure(worker.describe("printed an unexpected ready line"));
      }
      httpUrl = ready.group(1);
    }
    caller =
        switch (scenario.caller()) {
          case JAVA_BLOCKING ->
              launch(
                  "caller",
                  role(options, "caller", "--url", engine(wsUrl), "--mode", "blocking"),
                  null,
                  logPrefix);
          case JAVA_ASYNC ->
              launch(
                  "caller",
                  role(options, "caller", "--url", engine(wsUrl), "--mode", "async"),
                  null,
                  logPrefix);
          case NODE ->
              launch(
                  "caller",
                  List.of(
                      options.node(),
                      "caller.mjs",
                      "--url",
                      engine(wsUrl),
                      "--payload",
                      Payload.JSON),
                  options.nodeDir(),
                  logPrefix);
          case HTTP ->
              launch(
                  "caller",
                  role(options, "http-load", "--url", httpUrl + JavaWorker.HTTP_PATH),
                  null,
                  logPrefix);
        };
    caller.awaitLine("ready", START_TIMEOUT);
  }

  /** The load-generating process. */
  ChildProcess caller() {
    if (caller == null) {
      throw new IllegalStateException("not started");
    }
    return caller;
  }

  /** Reads the counters of every process. */
  Samples sample() {
    if (caller == null || worker == null) {
      throw new IllegalStateException("not started");
    }
    return new Samples(
        ProcStats.sample(caller.pid()),
        ProcStats.sample(worker.pid()),
        engine == null ? null : ProcStats.sample(engine.pid()),
        ProcStats.machine());
  }

  /** Stops the caller, then the worker, then the engine. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
  }

  private ChildProcess launch(
      String name, List<String> command, @Nullable Path directory, Path logPrefix) {
    Path log = logPrefix.resolveSibling(logPrefix.getFileName() + "-" + name + ".log");
    ChildProcess child =
        ChildProcess.start(
            name,
            command,
            directory != null
                ? directory
                : Objects.requireNonNull(log.getParent(), "logs are written in a directory"),
            Map.of("OTEL_ENABLED", "false"),
            log,
            !name.equals("engine"));
    started.add(child);
    return child;
  }

  private static List<String> java(BenchmarkOptions options) {
    List<String> command = new ArrayList<>();
    command.add(options.java());
    command.addAll(options.jvmFlags());
    return command;
  }

  /** The engine's WebSocket URL: every scenario with an iii worker or caller starts an engine. */
  private static String engine(@Nullable String wsUrl) {
    return Objects.requireNonNull(wsUrl, "this scenario starts no engine");
  }

  private static List<String> role(BenchmarkOptions options, String role, String... args) {
    List<String> command = java(options);
    command.addAll(List.of("-cp", options.classPath(), BenchmarkMain.class.getName(), role));
    command.addAll(java.util.Arrays.asList(args));
    return command;
  }
}
