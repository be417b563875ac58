package dev.iii.bench;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The harness's command line.
 *
 * @param warmup how long the calls run before the warm windows
 * @param measure the length of each warm window
 * @param cold the length of each cold window, which starts as soon as the processes are ready
 * @param settle the pause after changing the number of calls in flight, before a warm window
 * @param scenarioFilters parts of scenario names to run (none: all)
 * @param inFlight the numbers of calls in flight to measure, ascending
 * @param repeat how many times to run everything
 * @param node the node executable
 * @param java the java executable of every Java process
 * @param jvmFlags the JVM options of every Java process (engine, workers, callers, WebFlux)
 * @param classPath the class path of the Java worker and caller processes (this jar)
 * @param engineJar the stand-alone engine jar
 * @param nodeDir the directory of the Node worker and caller
 * @param outputDir where results and logs go
 */
record BenchmarkOptions(
    Duration warmup,
    Duration measure,
    Duration cold,
    Duration settle,
    List<String> scenarioFilters,
    List<Integer> inFlight,
    int repeat,
    String node,
    String java,
    List<String> jvmFlags,
    String classPath,
    Path engineJar,
    Path nodeDir,
    Path outputDir) {

  static final String USAGE =
      """
      usage: java -jar iii-benchmarks/target/iii-benchmarks.jar [options]

        --warmup 30s          calls before the warm windows (after the cold one)
        --measure 10s         length of each warm window
        --cold 5s             length of each cold window, right after the processes start
        --settle 2s           pause after changing the calls in flight, before a warm window
        --inflight 1,64       calls kept in flight, one row each
        --scenarios a,b       run the scenarios whose name contains a or b (default: all)
        --repeat 1            run everything N times; print each run and the spread (min-max)
        --node node           the node executable (its npm is used for `npm ci`)
        --java PATH           the java executable of every Java process (default: this one's)
        --jvm-flags "-Xms256m -Xmx512m"   JVM options of every Java process
        --engine-jar PATH     default: iii-embedded-engine/target/iii-embedded-engine.jar
        --node-dir PATH       default: iii-benchmarks/node
        --output-dir PATH     results JSON and logs; default: iii-benchmarks/target
        --list                list the scenarios and exit

      durations: 500ms, 30s, 2m (a bare number is seconds)
      """;

  /**
   * Parses the command line.
   *
   * @return the options, or {@code null} when help or the list was asked for (already printed)
   * @throws IllegalArgumentException with a message for the user when an argument is wrong
   */
  static @Nullable BenchmarkOptions parse(String[] args) {
    Path moduleDir = moduleDir();
    Duration warmup = Duration.ofSeconds(30);
    Duration measure = Duration.ofSeconds(10);
    Duration cold = Duration.ofSeconds(5);
    Duration settle = Duration.ofSeconds(2);
    List<String> filters = List.of();
    List<Integer> inFlight = List.of(1, 64);
    int repeat = 1;
    String node = "node";
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> jvmFlags = List.of("-Xms256m", "-Xmx512m");
    Path engineJar =
        moduleDir.resolveSibling("iii-embedded-engine").resolve("target/iii-embedded-engine.jar");
    Path nodeDir = moduleDir.resolve("node");
    Path outputDir = moduleDir.resolve("target");
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      switch (option) {
        case "-h", "--help" -> {
          System.out.print(USAGE);
          return null;
        }
        case "--list" -> {
          Scenario.ALL.forEach(s -> System.out.printf("%-20s %s%n", s.name(), s.description()));
          return null;
        }
        case "--warmup" -> warmup = duration(value(args, ++i, option), option);
        case "--measure" -> measure = duration(value(args, ++i, option), option);
        case "--cold" -> cold = duration(value(args, ++i, option), option);
        case "--settle" -> settle = duration(value(args, ++i, option), option);
        case "--scenarios" -> filters = list(value(args, ++i, option));
        case "--inflight" -> inFlight = inFlight(value(args, ++i, option));
        case "--repeat" -> repeat = positive(value(args, ++i, option), option);
        case "--node" -> node = value(args, ++i, option);
        case "--java" -> java = value(args, ++i, option);
        case "--jvm-flags" ->
            jvmFlags =
                List.of(value(args, ++i, option).trim().split("\\s+")).stream()
                    .filter(flag -> !flag.isEmpty())
                    .toList();
        case "--engine-jar" -> engineJar = Path.of(value(args, ++i, option));
        case "--node-dir" -> nodeDir = Path.of(value(args, ++i, option));
        case "--output-dir" -> outputDir = Path.of(value(args, ++i, option));
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (Scenario.select(filters).isEmpty()) {
      throw new IllegalArgumentException("--scenarios " + filters + " matches no scenario");
    }
    if (measure.isZero() || cold.isZero()) {
      throw new IllegalArgumentException("--measure and --cold must be longer than 0");
    }
    return new BenchmarkOptions(
        warmup,
        measure,
        cold,
        settle,
        filters,
        inFlight,
        repeat,
        node,
        java,
        jvmFlags,
        absoluteClassPath(),
        engineJar.toAbsolutePath(),
        nodeDir.toAbsolutePath(),
        outputDir.toAbsolutePath());
  }

  /** The scenarios to run. */
  List<Scenario> scenarios() {
    return Scenario.select(scenarioFilters);
  }

  /** The lowest number of calls in flight (where latency is compared). */
  int lowestInFlight() {
    return inFlight.get(0);
  }

  /** The highest number of calls in flight (where throughput and CPU are compared). */
  int highestInFlight() {
    return inFlight.get(inFlight.size() - 1);
  }

  /** Roughly how long one run takes, process start-up included. */
  Duration estimatedRunTime() {
    Duration startup = Duration.ofSeconds(4);
    Duration perScenario =
        cold.plus(startup)
            .multipliedBy(inFlight.size())
            .plus(warmup)
            .plus(measure.multipliedBy(inFlight.size()))
            .plus(settle.multipliedBy(inFlight.size() - 1L));
    return perScenario.multipliedBy(scenarios().size());
  }

  /**
   * {@code iii-benchmarks}, found from where this class was loaded ({@code
   * iii-benchmarks/target/iii-benchmarks.jar} or {@code iii-benchmarks/target/classes}); the
   * working directory's {@code iii-benchmarks} when that cannot be told.
   */
  private static Path moduleDir() {
    try {
      Path location =
          Path.of(
                  BenchmarkOptions.class
                      .getProtectionDomain()
                      .getCodeSource()
                      .getLocation()
                      .toURI())
              .toAbsolutePath();
      Path target = location.getParent();
      Path module = target == null ? null : target.getParent();
      if (target != null && module != null && target.getFileName().toString().equals("target")) {
        return module;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through
    }
    return Path.of("iii-benchmarks").toAbsolutePath();
  }

  /** This process's class path with absolute entries (children start in other directories). */
  private static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static List<Integer> inFlight(String value) {
    List<Integer> levels = new ArrayList<>();
    for (String level : list(value)) {
      int n = positive(level, "--inflight");
      if (!levels.contains(n)) {
        levels.add(n);
      }
    }
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("--inflight needs at least one number");
    }
    levels.sort(null);
    return List.copyOf(levels);
  }

  private static int positive(String value, String option) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 1) {
        throw new IllegalArgumentException(option + " must be at least 1, got " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got " + value);
    }
  }

  /** Parses {@code 500ms}, {@code 30s}, {@code 2m} or a bare number of seconds. */
  static Duration duration(String value, String option) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      if (text.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
      }
      if (text.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a duration like 30s, got " + value);
    }
  }
}
