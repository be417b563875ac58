package dev.iii.engine.modules.worker;

import static dev.iii.protocol.EngineFunctions.FUNCTIONS_AVAILABLE;
import static dev.iii.protocol.EngineFunctions.WORKERS_AVAILABLE;

import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.telemetry.TelemetryStore;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine's own functions and event trigger types ({@code iii-engine-functions} in the official
 * engine): listing and inspecting functions, trigger types, registered triggers and workers, worker
 * metadata, binding triggers on behalf of no worker, channel creation, and the {@code
 * functions-available} / {@code workers-available} events.
 *
 * <p>Concurrency: the built-ins run on whichever thread routes the call and only read the
 * concurrent registries; the {@code functions-available} announcement is coalesced through an
 * atomic flag and runs on the engine scheduler.
 */
public final class EngineFunctionsModule implements EngineModule {

  /** The in-process worker name, as in the official engine. */
  public static final String NAME = "iii-engine-functions";

  /** The in-process worker description, as in the official engine. */
  public static final String DESCRIPTION =
      "Core engine introspection (engine::*) and platform authoring reference.";

  /** The official engine version whose behaviour this engine follows (in-process rows show it). */
  public static final String ENGINE_VERSION = "0.22.1";

  /**
   * How long function changes are collected before subscribers hear of them. The official engine
   * polls every 5 s; an event this soon after the change is indistinguishable to a client.
   */
  static final long FUNCTIONS_CHANGED_DELAY_MS = 100;

  /** Both event types are fired by the engine; registering a trigger only subscribes. */
  private static final TriggerProvider NO_ARMING =
      new TriggerProvider() {
        @Override
        public void register(Trigger trigger) {}

        @Override
        public void unregister(Trigger trigger) {}
      };

  private final TelemetryStore telemetry;
  private final AtomicBoolean functionsChangedScheduled = new AtomicBoolean();
  private volatile @Nullable ModuleContext context;
  private volatile List<String> lastAnnouncedIds = List.of();

  /**
   * @param telemetry where {@code latest_metrics} of the worker listings come from
   */
  public EngineFunctionsModule(TelemetryStore telemetry) {
    this.telemetry = telemetry;
  }

  /** Registers the built-ins and the event types, and starts announcing function changes. */
  @Override
  public void start(ModuleContext context) {
    this.context = context;
    Listings listings = new Listings(context, telemetry);
    new FunctionBuiltins(listings).register(context);
    new TriggerBuiltins(context, listings).register();
    new WorkerBuiltins(context, listings).register();
    context.registerTriggerType(
        FUNCTIONS_AVAILABLE, "Triggered when functions are registered/unregistered", NO_ARMING);
    context.registerTriggerType(
        WORKERS_AVAILABLE, "Triggered when workers connect/disconnect", NO_ARMING);
    lastAnnouncedIds = currentIds(context);
    context.functions().onChange(this::scheduleFunctionsChanged);
  }

  private void scheduleFunctionsChanged() {
    ModuleContext current = context;
    if (current != null && functionsChangedScheduled.compareAndSet(false, true)) {
      try {
        current
            .scheduler()
            .schedule(
                this::announceFunctionsChanged, FUNCTIONS_CHANGED_DELAY_MS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // The engine is closing: workers disconnect after the scheduler stopped; nobody listens.
      }
    }
  }

  /** Fires {@code {event: "functions_changed", functions: [rows]}} when the set of ids changed. */
  private void announceFunctionsChanged() {
    functionsChangedScheduled.set(false);
    ModuleContext current = context;
    if (current == null) {
      return;
    }
    List<String> ids = currentIds(current);
    if (ids.equals(lastAnnouncedIds)) {
      return;
    }
    lastAnnouncedIds = ids;
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("event", "functions_changed");
    payload.set(
        "functions",
        Listings.tree(current.functions().all().stream().map(Listings::functionRow).toList()));
    current.invocations().fireTriggers(FUNCTIONS_AVAILABLE, payload);
  }

  private static List<String> currentIds(ModuleContext context) {
    return context.functions().all().stream().map(RegisteredFunction::id).toList();
  }
}
