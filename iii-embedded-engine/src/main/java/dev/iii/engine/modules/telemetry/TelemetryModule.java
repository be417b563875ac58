package dev.iii.engine.modules.telemetry;

import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/**
 * The SDKs' telemetry ({@code iii-observability} in the official engine): the binary frames they
 * send on the worker socket and on {@code /otel} go to one bounded {@link TelemetryStore}, which
 * keeps recent log records (by count and bytes) and each connected worker's latest gauges, and
 * forgets a worker's gauges when it disconnects.
 *
 * <p>Thread-safe: the store is; the module itself only wires it.
 */
public final class TelemetryModule implements EngineModule {

  /** The in-process worker name, as in the official engine. */
  public static final String NAME = "iii-observability";

  /** The in-process worker description, as in the official engine. */
  public static final String DESCRIPTION =
      "OpenTelemetry-based traces, metrics, logs, alerts, and sampling.";

  private final TelemetryStore store;

  /**
   * @param retainedLogRecords how many log records are kept (the oldest go first)
   * @param retainedLogBytes how many bytes of log records are kept ({@code
   *     limits.max_telemetry_log_bytes})
   */
  public TelemetryModule(int retainedLogRecords, long retainedLogBytes) {
    this.store = new TelemetryStore(retainedLogRecords, retainedLogBytes);
  }

  @Override
  public void start(ModuleContext context) {
    store.connectedWorkers(id -> context.workers().get(id).isPresent());
    context.messages().onDisconnect(worker -> store.forgetWorker(worker.id()));
  }

  /** Where telemetry frames go, and what the worker listings read back. */
  public TelemetryStore store() {
    return store;
  }
}
