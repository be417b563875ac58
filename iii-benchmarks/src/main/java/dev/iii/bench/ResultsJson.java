package dev.iii.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a whole benchmark (options, machine, every run's rows and ratios) as one JSON file. */
final class ResultsJson {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ResultsJson() {}

  /**
   * Writes {@code file}.
   *
   * @throws IOException when it cannot be written
   */
  static void write(
      Path file,
      BenchmarkOptions options,
      Map<String, Object> machine,
      List<List<Measurement>> runs,
      List<List<Ratios.Ratio>> ratios)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("options", options(options));
    root.put("machine", machine);
    List<Object> runList = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("run", i + 1);
      run.put("rows", runs.get(i).stream().map(ResultsJson::row).toList());
      run.put("ratios", ratios.get(i).stream().map(ResultsJson::ratio).toList());
      runList.add(run);
    }
    root.put("runs", runList);
    Files.createDirectories(file.getParent());
    Files.writeString(file, JSON.writeValueAsString(root) + "\n");
  }

  private static Map<String, Object> options(BenchmarkOptions options) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
    map.put("measureSeconds", options.measure().toMillis() / 1000.0);
    map.put("coldSeconds", options.cold().toMillis() / 1000.0);
    map.put("settleSeconds", options.settle().toMillis() / 1000.0);
    map.put("inFlight", options.inFlight());
    map.put("scenarios", options.scenarios().stream().map(Scenario::name).toList());
    map.put("repeat", options.repeat());
    map.put("jvmFlags", options.jvmFlags());
    map.put("payload", Payload.JSON);
    return map;
  }

  private static Map<String, Object> row(Measurement row) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("scenario", row.scenario());
    map.put("phase", row.phase());
    map.put("inFlight", row.inFlight());
    map.put("failure", row.failure());
    map.put("calls", row.calls());
    map.put("errors", row.errors());
    map.put("errorsTotal", row.errorsTotal());
    map.put("seconds", number(row.seconds()));
    map.put("callsPerSecond", number(row.callsPerSecond()));
    map.put("p50Us", number(row.p50Us()));
    map.put("p99Us", number(row.p99Us()));
    map.put("maxUs", number(row.maxUs()));
    map.put("cpuUsPerCall", perProcess(row.cpuMicrosPerCall()));
    map.put("contextSwitchesPerCall", perProcess(row.contextSwitchesPerCall()));
    map.put("otherCpuPercent", number(row.otherCpuPercent()));
    return map;
  }

  private static Map<String, Object> perProcess(Measurement.PerProcess values) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("caller", number(values.caller()));
    map.put("worker", number(values.worker()));
    map.put("engine", number(values.engine()));
    return map;
  }

  private static Map<String, Object> ratio(Ratios.Ratio ratio) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("label", ratio.label());
    map.put("reading", ratio.reading());
    map.put("cold", number(ratio.cold()));
    map.put("warm", number(ratio.warm()));
    return map;
  }

  /** JSON has no NaN: a missing figure is {@code null}. */
  private static @Nullable Double number(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
  }
}
