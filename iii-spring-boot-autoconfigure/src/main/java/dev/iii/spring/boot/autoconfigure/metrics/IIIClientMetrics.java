package dev.iii.spring.boot.autoconfigure.metrics;

import dev.iii.ConnectionState;
import dev.iii.IIIClient;
import dev.iii.spring.worker.IIIRegisteredFunctions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Meters of the client's connection:
 *
 * <ul>
 *   <li>gauge {@code iii.client.connected}: 1 while connected, else 0;
 *   <li>gauge {@code iii.client.state}: the {@link ConnectionState} ordinal;
 *   <li>counter {@code iii.client.reconnects}: times the connection was lost and reconnection
 *       began;
 *   <li>gauge {@code iii.worker.functions.registered}, when the registered functions are known;
 *   <li>gauges {@code iii.worker.invocations.in-flight} and {@code iii.worker.invocations.queued}:
 *       invocations of this worker's functions running and waiting for a slot, as the client counts
 *       them ({@link dev.iii.IIIClient#invocationStats()});
 *   <li>counter {@code iii.worker.invocations.rejected}: invocations answered {@code unavailable}
 *       because the queue was full.
 * </ul>
 */
public class IIIClientMetrics implements MeterBinder, AutoCloseable {

  private final IIIClient client;
  private final @Nullable IIIRegisteredFunctions functions;
  private final AtomicLong reconnects = new AtomicLong();
  private final Runnable unsubscribe;
  private @Nullable ConnectionState previous;

  /**
   * @param client the client to observe
   * @param functions counts the functions this application registered, if known
   */
  public IIIClientMetrics(IIIClient client, @Nullable IIIRegisteredFunctions functions) {
    this.client = client;
    this.functions = functions;
    // Counted from construction, not from binding, so no transition is missed in between.
    // Listeners run one at a time on the client's event thread, so `previous` needs no lock.
    this.unsubscribe = client.onConnectionStateChange(this::onStateChange);
  }

  private void onStateChange(ConnectionState state) {
    if (state == ConnectionState.RECONNECTING
        && previous != null
        && previous != ConnectionState.RECONNECTING) {
      reconnects.incrementAndGet();
    }
    previous = state;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(
            "iii.client.connected",
            client,
            c -> c.getConnectionState() == ConnectionState.CONNECTED ? 1 : 0)
        .description("Whether the iii client is connected to the engine (1) or not (0)")
        .strongReference(true)
        .register(registry);
    Gauge.builder("iii.client.state", client, c -> c.getConnectionState().ordinal())
        .description(
            "Connection state of the iii client: 0 disconnected, 1 connecting, 2 connected,"
                + " 3 reconnecting, 4 failed")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder("iii.client.reconnects", reconnects, AtomicLong::get)
        .description("Times the iii client lost its connection and began reconnecting")
        .register(registry);
    Gauge.builder("iii.worker.invocations.in-flight", client, c -> c.invocationStats().inFlight())
        .description("Invocations of this application's functions running now")
        .strongReference(true)
        .register(registry);
    Gauge.builder("iii.worker.invocations.queued", client, c -> c.invocationStats().queued())
        .description("Invocations of this worker's functions waiting for a free slot")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder(
            "iii.worker.invocations.rejected", client, c -> c.invocationStats().rejected())
        .description("Invocations answered unavailable because the invocation queue was full")
        .register(registry);
    if (functions != null) {
      Gauge.builder(
              "iii.worker.functions.registered",
              functions,
              IIIRegisteredFunctions::registeredFunctionCount)
          .description("Functions this application registered with the iii engine")
          .strongReference(true)
          .register(registry);
    }
  }

  /** Stops following the client's state. */
  @Override
  public void close() {
    unsubscribe.run();
  }
}
