package dev.iii.engine.modules.telemetry;

import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;

/**
 * The SDKs' telemetry ({@code iii-observability} in the official engine): the binary frames they
 * send on the worker socket and on {@code /otel} go to one bounded {@link TelemetryStore}, which
 * keeps recent log records and each worker's latest gauges and forgets a worker's gauges when it
 * disconnects.
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
   */
  public TelemetryModule(int retainedLogRecords) {
    this.store = new TelemetryStore(retainedLogRecords);
  }

  @Override
  public void start(ModuleContext context) {
    context.messages().onDisconnect(worker -> store.forgetWorker(worker.id()));
  }

  /** Where telemetry frames go, and what the worker listings read back. */
  public TelemetryStore store() {
    return store;
  }
}
