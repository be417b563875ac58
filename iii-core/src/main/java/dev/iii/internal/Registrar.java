package dev.iii.internal;

import dev.iii.FunctionHandler;
import dev.iii.FunctionRef;
import dev.iii.RegisterFunctionOptions;
import dev.iii.RegisterTriggerTypeOptions;
import dev.iii.Trigger;
import dev.iii.TriggerHandler;
import dev.iii.TriggerTypeRef;
import dev.iii.protocol.EngineFunctions;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.RegisterFunction;
import dev.iii.protocol.RegisterService;
import dev.iii.protocol.RegisterTrigger;
import dev.iii.protocol.RegisterTriggerType;
import dev.iii.protocol.UnregisterFunction;
import dev.iii.protocol.UnregisterTrigger;
import dev.iii.protocol.UnregisterTriggerType;
import dev.iii.schema.JsonSchemas;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Turns the client's registration calls into messages for {@link Registrations} and hands back the
 * handles ({@link FunctionRef}, {@link Trigger}, {@link TriggerTypeRef}). Stateless apart from the
 * schema cache; thread-safe.
 */
public final class Registrar {

  private final Registrations registrations;
  private final Payloads payloads;
  private final JsonSchemas schemas;

  /**
   * @param schemas describes the input types of typed functions; built with the client's mapper, so
   *     the schemas name properties as the handler reads them
   */
  public Registrar(Registrations registrations, Payloads payloads, JsonSchemas schemas) {
    this.registrations = registrations;
    this.payloads = payloads;
    this.schemas = schemas;
  }

  /**
   * The options a function whose input is read as {@code inputType} is registered with: {@code
   * options}, with the JSON Schema of {@code inputType} as {@code request_format} unless they set
   * one (or the type has none: any value, or not describable).
   */
  public RegisterFunctionOptions withInputSchema(RegisterFunctionOptions options, Type inputType) {
    if (options.requestFormat() != null) {
      return options;
    }
    JsonNode schema = schemas.schemaFor(inputType);
    if (schema == null) {
      return options;
    }
    return new RegisterFunctionOptions(
        options.description(), schema, options.responseFormat(), options.metadata());
  }

  /**
   * Registers a function.
   *
   * @param invocation the HTTP invocation config of a function the engine calls over HTTP
   */
  public FunctionRef function(
      String id,
      RegisterFunctionOptions options,
      @Nullable JsonNode invocation,
      LocalFunction function) {
    requireId(id, "function id");
    Map<String, ?> metadata = options.metadata();
    RegisterFunction message =
        new RegisterFunction(
            id,
            options.description(),
            options.requestFormat(),
            options.responseFormat(),
            metadata == null ? null : payloads.toTree(metadata),
            invocation);
    CompletableFuture<Void> status = registrations.addFunction(id, function, message);
    return new Registration(
        id,
        "FunctionRef[" + id + "]",
        status,
        () -> registrations.removeFunction(id, function, new UnregisterFunction(id)));
  }

  /** Binds a function to a trigger; the trigger's id is new and stays across reconnects. */
  public Trigger trigger(
      String type, String functionId, @Nullable Object config, @Nullable Map<String, ?> metadata) {
    requireId(type, "trigger type");
    requireId(functionId, "function id");
    JsonNode configNode =
        config == null ? JsonNodeFactory.instance.objectNode() : payloads.toTree(config);
    String id = InvocationIds.random();
    RegisterTrigger message =
        new RegisterTrigger(
            id, type, functionId, configNode, metadata == null ? null : payloads.toTree(metadata));
    CompletableFuture<Void> status = registrations.addTrigger(id, message);
    return new Registration(
        id,
        "Trigger[" + id + " " + type + " -> " + functionId + "]",
        status,
        () -> registrations.removeTrigger(id, new UnregisterTrigger(id, type)));
  }

  /** Registers a function with a plain handler: its input as plain Java values. */
  public FunctionRef function(String id, FunctionHandler handler, RegisterFunctionOptions options) {
    Objects.requireNonNull(handler, "handler");
    return function(id, options, null, data -> handler.handle(payloads.readPlain(data)));
  }

  /** Provides a trigger type. */
  public TriggerTypeRef triggerType(
      String id,
      @Nullable String description,
      TriggerHandler handler,
      RegisterTriggerTypeOptions options) {
    requireId(id, "trigger type id");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    registrations.addTriggerType(
        id,
        handler,
        new RegisterTriggerType(
            id,
            description == null ? "" : description,
            options.triggerRequestFormat(),
            options.callRequestFormat(),
            null));
    return new TriggerTypeHandle(id);
  }

  /** Stops providing a trigger type. */
  public void unregisterTriggerType(String id) {
    registrations.removeTriggerType(id, new UnregisterTriggerType(id));
  }

  /** Declares a service. */
  public void service(String id, @Nullable String description, @Nullable String parentId) {
    requireId(id, "service id");
    // Engine 0.8.3 drops a registerservice without a name: default it to the id.
    registrations.addService(id, new RegisterService(id, id, description, parentId));
  }

  /** A function and a trigger that feed {@code callback} the function list whenever it changes. */
  public Runnable onFunctionsAvailable(Consumer<List<FunctionInfo>> callback) {
    Objects.requireNonNull(callback, "callback");
    String functionId = "iii.on_functions_available." + InvocationIds.random();
    FunctionRef function =
        function(
            functionId,
            RegisterFunctionOptions.NONE,
            null,
            data -> {
              callback.accept(payloads.readList(data, "functions", FunctionInfo.class));
              return null;
            });
    Trigger trigger = trigger(EngineFunctions.FUNCTIONS_AVAILABLE, functionId, null, null);
    return () -> {
      trigger.unregister();
      function.unregister();
    };
  }

  /** Checks an id the engine requires. */
  public static void requireId(@Nullable String id, String what) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
  }

  /** What registering a function or a trigger hands back. */
  private record Registration(
      String id, String label, CompletableFuture<Void> status, Runnable remover)
      implements FunctionRef, Trigger {

    @Override
    public void unregister() {
      remover.run();
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** What registering a trigger type hands back. */
  private final class TriggerTypeHandle implements TriggerTypeRef {

    private final String id;

    TriggerTypeHandle(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Trigger registerTrigger(
        String functionId, @Nullable Object config, @Nullable Map<String, ?> metadata) {
      return trigger(id, functionId, config, metadata);
    }

    @Override
    public FunctionRef registerFunction(
        String functionId,
        FunctionHandler handler,
        @Nullable Object config,
        @Nullable Map<String, ?> metadata) {
      FunctionRef function = function(functionId, handler, RegisterFunctionOptions.NONE);
      Trigger trigger;
      try {
        trigger = trigger(id, functionId, config, metadata);
      } catch (RuntimeException e) {
        function.unregister();
        throw e;
      }
      // Fails when the engine refuses either; completes when the function is unregistered.
      CompletableFuture<Void> status = new CompletableFuture<>();
      function
          .status()
          .whenComplete(
              (ignored, error) -> {
                if (error != null) {
                  status.completeExceptionally(error);
                } else {
                  status.complete(null);
                }
              });
      trigger
          .status()
          .whenComplete(
              (ignored, error) -> {
                if (error != null) {
                  status.completeExceptionally(error);
                }
              });
      return new Registration(
          functionId,
          function.toString(),
          status,
          () -> {
            trigger.unregister();
            function.unregister();
          });
    }

    @Override
    public void unregister() {
      unregisterTriggerType(id);
    }

    @Override
    public String toString() {
      return "TriggerTypeRef[" + id + "]";
    }
  }
}
