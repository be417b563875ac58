package dev.iii.internal;

import dev.iii.InitOptions;
import dev.iii.TelemetryOptions;
import dev.iii.protocol.EngineFunctions;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.RawJson;
import io.netty.util.Timeout;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What this worker tells the engine about itself: the {@code engine::workers::register} metadata
 * after every connect, and (if enabled) its gauges every reporting interval. Owned by the
 * connection's actor: every method runs there.
 */
final class WorkerMetadata {

  private static final Logger log = LoggerFactory.getLogger(WorkerMetadata.class);

  private final InitOptions options;
  private final EngineConnection connection;
  private final byte[] registration;
  private final WorkerMetrics metrics = new WorkerMetrics();
  private @Nullable Timeout reporting;
  private @Nullable Session reportingOn;

  WorkerMetadata(InitOptions options, EngineConnection connection) {
    this.options = options;
    this.connection = connection;
    this.registration =
        MessageCodec.instance()
            .encodeToBytes(
                new InvokeFunction(null, EngineFunctions.WORKERS_REGISTER, describe(options)));
  }

  /** Sends the metadata (fire-and-forget, as the official SDKs do). */
  void send(Session session) {
    session.send(registration);
  }

  /** The engine registered this worker on {@code session}: report gauges there from now on. */
  void startReporting(Session session) {
    stopReporting();
    if (options.enableMetricsReporting()) {
      reportingOn = session;
      report(session);
    }
  }

  /** The session reporting went to has closed. */
  void stopReporting(Session session) {
    if (reportingOn == session) {
      stopReporting();
    }
  }

  private void stopReporting() {
    Timeout scheduled = reporting;
    if (scheduled != null) {
      scheduled.cancel();
    }
    reporting = null;
    reportingOn = null;
  }

  private void report(Session session) {
    if (reportingOn != session || !session.isOpen()) {
      return;
    }
    String workerId = connection.workerId().orElse(null);
    if (workerId != null) {
      try {
        session.sendBinary(metrics.frame(workerId, options.workerName()));
      } catch (RuntimeException e) {
        log.debug("Could not sample worker metrics", e);
      }
    }
    reporting =
        Timers.schedule(
            options.metricsReportingInterval(), () -> connection.execute(() -> report(session)));
  }

  private static RawJson describe(InitOptions options) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("runtime", "java");
    node.put("version", SdkVersion.get());
    node.put("name", options.workerName());
    String description = options.workerDescription();
    if (description != null) {
      node.put("description", description);
    }
    node.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")");
    node.put("pid", ProcessHandle.current().pid());
    String isolation = System.getenv("III_ISOLATION");
    if (isolation != null && !isolation.isBlank()) {
      node.put("isolation", isolation); // as the official SDKs: the sandbox the worker runs in
    }
    ObjectNode telemetry = node.putObject("telemetry");
    TelemetryOptions t = options.telemetry();
    telemetry.put(
        "language", t.language() != null ? t.language() : Locale.getDefault().toLanguageTag());
    telemetry.put("project_name", t.projectName());
    telemetry.put("framework", t.framework());
    return RawJson.of(node);
  }
}
