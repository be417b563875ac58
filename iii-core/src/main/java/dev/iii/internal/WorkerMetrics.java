package dev.iii.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Samples this JVM's worker gauges and writes them as the engine expects them: a binary frame of
 * {@code MTRC} followed by an OTLP-JSON {@code ExportMetricsServiceRequest}. The gauge names and
 * the {@code worker.id} attribute are those the official engine reads into {@code latest_metrics}.
 */
public final class WorkerMetrics {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final byte[] PREFIX = "MTRC".getBytes(StandardCharsets.US_ASCII);
  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  /** One frame with the current values, tagged with the worker's id and name. */
  public byte[] frame(String workerId, String workerName) {
    long now = System.currentTimeMillis() * 1_000_000L;
    ObjectNode request = JSON.objectNode();
    ObjectNode resourceMetrics = request.putArray("resourceMetrics").addObject();
    resourceMetrics
        .putObject("resource")
        .putArray("attributes")
        .add(attribute("service.name", workerName));
    ObjectNode scope = resourceMetrics.putArray("scopeMetrics").addObject();
    scope.putObject("scope").put("name", "iii-java").put("version", SdkVersion.get());
    ArrayNode metrics = scope.putArray("metrics");
    for (Map.Entry<String, Number> gauge : sample().entrySet()) {
      ObjectNode metric = metrics.addObject();
      metric.put("name", gauge.getKey());
      ObjectNode point = metric.putObject("gauge").putArray("dataPoints").addObject();
      point.put("timeUnixNano", now);
      if (gauge.getValue() instanceof Double value) {
        point.put("asDouble", value);
      } else {
        point.put("asInt", gauge.getValue().longValue());
      }
      point
          .putArray("attributes")
          .add(attribute("worker.id", workerId))
          .add(attribute("worker.name", workerName));
    }
    byte[] json = request.toString().getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[PREFIX.length + json.length];
    System.arraycopy(PREFIX, 0, frame, 0, PREFIX.length);
    System.arraycopy(json, 0, frame, PREFIX.length, json.length);
    return frame;
  }

  /** The gauges this JVM can report, by official name. */
  Map<String, Number> sample() {
    MemoryUsage heap = memory.getHeapMemoryUsage();
    Map<String, Number> values = new java.util.LinkedHashMap<>();
    values.put("iii.worker.memory.heap_used", heap.getUsed());
    values.put("iii.worker.memory.heap_total", heap.getCommitted());
    values.put("iii.worker.memory.external", memory.getNonHeapMemoryUsage().getUsed());
    Long rss = residentSetBytes();
    if (rss != null) {
      values.put("iii.worker.memory.rss", rss);
    }
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      if (load >= 0) {
        values.put("iii.worker.cpu.percent", Math.min(100.0, load * 100.0));
      }
    }
    values.put(
        "iii.worker.uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    return values;
  }

  private static @Nullable Long residentSetBytes() {
    try {
      for (String line : Files.readAllLines(PROC_STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String kilobytes = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kilobytes) * 1024;
        }
      }
    } catch (Exception e) {
      // Not Linux, or not readable: the gauge is left out.
    }
    return null;
  }

  private static ObjectNode attribute(String key, String value) {
    ObjectNode attribute = JSON.objectNode();
    attribute.put("key", key);
    attribute.putObject("value").put("stringValue", value);
    return attribute;
  }
}
