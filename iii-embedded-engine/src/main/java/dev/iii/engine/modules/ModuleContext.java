package dev.iii.engine.modules;

import dev.iii.engine.config.EngineLimits;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.registry.EngineFunction;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.ModuleDirectory;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.TriggerProvider;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.TriggerType;
import dev.iii.engine.registry.WorkerRegistry;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.router.MessageRouter;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What one module may use: the registration API for its own functions and trigger types ({@link
 * #registerFunction}, {@link #registerTriggerType}), which also lists them under the module's
 * in-process worker name; the registries (to read them, and for what the module does on behalf of
 * workers); the routers; the channels; and the engine's scheduler (one thread: schedule work on it,
 * never block it).
 *
 * <p>Thread-safe: immutable; the registries it hands out are thread-safe.
 */
public final class ModuleContext {

  private final WorkerRegistry workers;
  private final FunctionRegistry functions;
  private final TriggerRegistry triggers;
  private final InvocationRouter invocations;
  private final MessageRouter messages;
  private final ChannelRegistry channels;
  private final ScheduledExecutorService scheduler;
  private final ModuleDirectory modules;
  private final ModuleDirectory.Module module;
  private final EngineLimits limits;

  /**
   * The context of one installed module.
   *
   * @param modules every module of the engine (the in-process workers)
   * @param module the module this context belongs to, as listed in {@code modules}
   * @param limits the engine's bounds
   */
  public ModuleContext(
      WorkerRegistry workers,
      FunctionRegistry functions,
      TriggerRegistry triggers,
      InvocationRouter invocations,
      MessageRouter messages,
      ChannelRegistry channels,
      ScheduledExecutorService scheduler,
      ModuleDirectory modules,
      ModuleDirectory.Module module,
      EngineLimits limits) {
    this.workers = workers;
    this.functions = functions;
    this.triggers = triggers;
    this.invocations = invocations;
    this.messages = messages;
    this.channels = channels;
    this.scheduler = scheduler;
    this.modules = modules;
    this.module = module;
    this.limits = limits;
  }

  /** A context for a module started on its own (tests), listed as {@code module}. */
  public ModuleContext(
      WorkerRegistry workers,
      FunctionRegistry functions,
      TriggerRegistry triggers,
      InvocationRouter invocations,
      MessageRouter messages,
      ChannelRegistry channels,
      ScheduledExecutorService scheduler) {
    this(workers, functions, triggers, invocations, messages, channels, scheduler, standalone());
  }

  private ModuleContext(
      WorkerRegistry workers,
      FunctionRegistry functions,
      TriggerRegistry triggers,
      InvocationRouter invocations,
      MessageRouter messages,
      ChannelRegistry channels,
      ScheduledExecutorService scheduler,
      ModuleDirectory standalone) {
    this(
        workers,
        functions,
        triggers,
        invocations,
        messages,
        channels,
        scheduler,
        standalone,
        standalone.all().get(0),
        EngineLimits.defaults());
  }

  private static ModuleDirectory standalone() {
    ModuleDirectory directory = new ModuleDirectory();
    directory.add("module", null, false);
    return directory;
  }

  /** The engine's memory, socket and time bounds. */
  public EngineLimits limits() {
    return limits;
  }

  /** The in-process worker name the module is listed under, e.g. {@code iii-http}. */
  public String moduleName() {
    return module.name();
  }

  /**
   * Registers one of the module's functions; workers can neither replace nor remove it.
   *
   * @throws IllegalStateException when the id is taken by another engine function
   */
  public void registerFunction(String id, String description, EngineFunction body) {
    registerFunction(id, description, null, body);
  }

  /**
   * Registers one of the module's functions with registration metadata ({@code {"internal": true}}
   * hides it from the default {@code engine::functions::list}).
   *
   * @throws IllegalStateException when the id is taken by another engine function
   */
  public void registerFunction(
      String id, String description, @Nullable JsonNode metadata, EngineFunction body) {
    RegisteredFunction function =
        RegisteredFunction.builtin(module.name(), id, description, metadata, body);
    if (functions.get(id).map(RegisteredFunction::isBuiltin).orElse(false)
        || !functions.register(function)) {
      throw new IllegalStateException("engine function " + id + " is already registered");
    }
    module.functionIds().add(id);
  }

  /**
   * Registers one of the module's trigger types; workers cannot take it over.
   *
   * @return {@code false} when another module provides it already
   */
  public boolean registerTriggerType(String id, String description, TriggerProvider provider) {
    return registerTriggerType(id, description, provider, null, null, null);
  }

  /**
   * Registers one of the module's trigger types with the JSON Schemas {@code
   * engine::triggers::info} shows.
   *
   * @param configurationSchema schema of a binding's {@code config}, or {@code null}
   * @param requestSchema schema of what a bound function receives, or {@code null}
   * @param responseSchema schema of what a bound function must return, or {@code null}
   * @return {@code false} when another module provides it already
   */
  public boolean registerTriggerType(
      String id,
      String description,
      TriggerProvider provider,
      @Nullable JsonNode configurationSchema,
      @Nullable JsonNode requestSchema,
      @Nullable JsonNode responseSchema) {
    TriggerType existing = triggers.type(id);
    if (existing != null && existing.isEngineType()) {
      return false;
    }
    boolean registered =
        triggers.registerType(
            new TriggerType(
                id,
                description,
                provider,
                null,
                module.name(),
                configurationSchema,
                requestSchema,
                responseSchema));
    if (registered) {
      module.triggerTypeIds().add(id);
    }
    return registered;
  }

  public WorkerRegistry workers() {
    return workers;
  }

  public FunctionRegistry functions() {
    return functions;
  }

  public TriggerRegistry triggers() {
    return triggers;
  }

  public InvocationRouter invocations() {
    return invocations;
  }

  public MessageRouter messages() {
    return messages;
  }

  public ChannelRegistry channels() {
    return channels;
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Every module of the engine: the in-process workers {@code engine::workers::list} shows. */
  public ModuleDirectory modules() {
    return modules;
  }
}
