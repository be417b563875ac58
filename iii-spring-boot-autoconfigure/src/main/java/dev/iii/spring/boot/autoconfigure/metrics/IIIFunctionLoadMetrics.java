package dev.iii.spring.boot.autoconfigure.metrics;

import dev.iii.spring.worker.IIIFunctionLoad;
import dev.iii.spring.worker.IIIFunctionRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Meters of each function's own concurrency, registered once the context is refreshed (so every
 * discovered function has them):
 *
 * <ul>
 *   <li>gauge {@code iii.function.queued}, tag {@code function}: invocations waiting for a slot;
 *   <li>gauge {@code iii.function.running}, tag {@code function}: invocations running;
 *   <li>counter {@code iii.function.rejected}, tags {@code function} and {@code reason} ({@code
 *       overloaded}: its queue was full; {@code shutting_down}: it arrived after shutdown began).
 * </ul>
 *
 * <p>Concurrency: thread-safe; Micrometer deduplicates meters, and the meters read snapshots.
 */
public class IIIFunctionLoadMetrics implements ApplicationListener<ContextRefreshedEvent> {

  private final Supplier<@Nullable MeterRegistry> meters;
  private final IIIFunctionRegistry functions;

  /**
   * Meters of {@code functions}, registered at refresh in the registry {@code meters} supplies then
   * (none when it supplies {@code null}).
   */
  public IIIFunctionLoadMetrics(
      Supplier<@Nullable MeterRegistry> meters, IIIFunctionRegistry functions) {
    this.meters = meters;
    this.functions = functions;
  }

  /** Binds the meters once the context is refreshed, when every discovered function is known. */
  @Override
  public void onApplicationEvent(ContextRefreshedEvent event) {
    MeterRegistry registry = meters.get();
    if (registry != null) {
      for (IIIFunctionLoad load : functions.functionLoads()) {
        bind(registry, load);
      }
    }
  }

  private static void bind(MeterRegistry meters, IIIFunctionLoad load) {
    String id = load.functionId();
    Gauge.builder("iii.function.queued", load, IIIFunctionLoad::queued)
        .description("Invocations of an iii function waiting for a free slot")
        .tag("function", id)
        .register(meters);
    Gauge.builder("iii.function.running", load, IIIFunctionLoad::running)
        .description("Invocations of an iii function running now")
        .tag("function", id)
        .register(meters);
    FunctionCounter.builder("iii.function.rejected", load, IIIFunctionLoad::rejectedOverloaded)
        .description("Invocations of an iii function refused")
        .tag("function", id)
        .tag("reason", "overloaded")
        .register(meters);
    FunctionCounter.builder("iii.function.rejected", load, IIIFunctionLoad::rejectedShuttingDown)
        .description("Invocations of an iii function refused")
        .tag("function", id)
        .tag("reason", "shutting_down")
        .register(meters);
  }
}
