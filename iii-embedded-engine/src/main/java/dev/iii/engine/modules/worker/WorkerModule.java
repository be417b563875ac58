package dev.iii.engine.modules.worker;

import static dev.iii.protocol.EngineFunctions.CHANNELS_CREATE;
import static dev.iii.protocol.EngineFunctions.FUNCTIONS_AVAILABLE;
import static dev.iii.protocol.EngineFunctions.FUNCTIONS_LIST;
import static dev.iii.protocol.EngineFunctions.TRIGGERS_LIST;
import static dev.iii.protocol.EngineFunctions.WORKERS_AVAILABLE;
import static dev.iii.protocol.EngineFunctions.WORKERS_LIST;
import static dev.iii.protocol.EngineFunctions.WORKERS_REGISTER;

import dev.iii.engine.modules.channels.Channel;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.modules.telemetry.TelemetryStore;
import dev.iii.engine.registry.EngineFunction;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.TriggerType;
import dev.iii.engine.registry.Worker;
import dev.iii.engine.registry.WorkerRegistry;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.router.MessageRouter;
import dev.iii.protocol.ChannelRef;
import dev.iii.protocol.EngineFunctions;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.WireFields;
import dev.iii.protocol.WorkerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine's own functions and trigger types, present in every engine: listing functions, workers
 * and triggers, worker metadata, channel creation, and the {@code functions-available} / {@code
 * workers-available} events.
 *
 * <p>Concurrency: the built-ins run on whichever thread routes the call and only read the
 * concurrent registries; the {@code functions-available} announcement is coalesced through an
 * atomic flag and runs on the engine scheduler.
 */
public final class WorkerModule {

  /**
   * How long function changes are collected before subscribers hear of them. The official engine
   * polls every 5 s; an event this soon after the change is indistinguishable to a client.
   */
  static final long FUNCTIONS_CHANGED_DELAY_MS = 100;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final WorkerRegistry workers;
  private final FunctionRegistry functions;
  private final TriggerRegistry triggers;
  private final InvocationRouter invocations;
  private final MessageRouter messages;
  private final ChannelRegistry channels;
  private final TelemetryStore telemetry;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean functionsChangedScheduled = new AtomicBoolean();
  private volatile List<String> lastAnnouncedIds = List.of();

  public WorkerModule(
      WorkerRegistry workers,
      FunctionRegistry functions,
      TriggerRegistry triggers,
      InvocationRouter invocations,
      MessageRouter messages,
      ChannelRegistry channels,
      TelemetryStore telemetry,
      ScheduledExecutorService scheduler) {
    this.workers = workers;
    this.functions = functions;
    this.triggers = triggers;
    this.invocations = invocations;
    this.messages = messages;
    this.channels = channels;
    this.telemetry = telemetry;
    this.scheduler = scheduler;
  }

  /** Registers the built-ins and starts announcing function changes. */
  public void start() {
    builtin(FUNCTIONS_LIST, "List registered functions", this::listFunctions);
    builtin(WORKERS_LIST, "List connected workers", this::listWorkers);
    builtin(WORKERS_REGISTER, "Register worker metadata", this::registerWorker);
    builtin(TRIGGERS_LIST, "List registered triggers", this::listTriggers);
    builtin(CHANNELS_CREATE, "Create a streaming channel", this::createChannel);
    triggers.registerType(
        new TriggerType(
            FUNCTIONS_AVAILABLE, "Fires when the set of functions changes", NO_ARMING, null));
    triggers.registerType(
        new TriggerType(
            WORKERS_AVAILABLE,
            "Fires when workers connect, disconnect or update their metadata",
            NO_ARMING,
            null));
    lastAnnouncedIds = currentIds();
    functions.onChange(this::scheduleFunctionsChanged);
  }

  /** Both event types are fired by the engine; registering a trigger only subscribes. */
  private static final TriggerProvider NO_ARMING =
      new TriggerProvider() {
        @Override
        public void register(Trigger trigger) {}

        @Override
        public void unregister(Trigger trigger) {}
      };

  private void builtin(String id, String description, EngineFunction body) {
    functions.register(RegisteredFunction.builtin(id, description, body));
  }

  private void scheduleFunctionsChanged() {
    if (functionsChangedScheduled.compareAndSet(false, true)) {
      try {
        scheduler.schedule(
            this::announceFunctionsChanged, FUNCTIONS_CHANGED_DELAY_MS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // The engine is closing: workers disconnect after the scheduler stopped; nobody listens.
      }
    }
  }

  private void announceFunctionsChanged() {
    functionsChangedScheduled.set(false);
    List<String> ids = currentIds();
    if (ids.equals(lastAnnouncedIds)) {
      return;
    }
    lastAnnouncedIds = ids;
    ObjectNode payload = JSON.objectNode();
    payload.put("event", "functions_changed");
    payload.set(
        "functions", tree(functions.all().stream().map(WorkerModule::functionInfo).toList()));
    invocations.fireTriggers(FUNCTIONS_AVAILABLE, payload);
  }

  private List<String> currentIds() {
    return functions.all().stream().map(RegisteredFunction::id).toList();
  }

  private CompletableFuture<@Nullable JsonNode> listFunctions(JsonNode input) {
    boolean includeInternal = booleanField(FUNCTIONS_LIST, input, "include_internal");
    List<FunctionInfo> list = new ArrayList<>();
    for (RegisteredFunction function : functions.all()) {
      if (includeInternal || !function.id().startsWith(EngineFunctions.PREFIX)) {
        list.add(functionInfo(function));
      }
    }
    ObjectNode out = JSON.objectNode();
    out.set("functions", tree(list));
    return CompletableFuture.completedFuture(out);
  }

  private CompletableFuture<@Nullable JsonNode> listWorkers(JsonNode input) {
    String filter = stringField(WORKERS_LIST, input, "worker_id");
    List<WorkerInfo> list = new ArrayList<>();
    for (Worker worker : workers.all()) {
      if (filter == null || filter.equals(worker.id())) {
        list.add(workerInfo(worker));
      }
    }
    ObjectNode out = JSON.objectNode();
    out.set("workers", tree(list));
    out.put("timestamp", System.currentTimeMillis());
    return CompletableFuture.completedFuture(out);
  }

  private CompletableFuture<@Nullable JsonNode> registerWorker(JsonNode input) {
    String callerId = stringField(WORKERS_REGISTER, input, WireFields.CALLER_WORKER_ID);
    if (callerId == null) {
      throw deserializationError(
          WORKERS_REGISTER, "missing field `" + WireFields.CALLER_WORKER_ID + "`");
    }
    Worker worker = workers.get(callerId).orElse(null);
    if (worker != null) {
      Worker.Metadata old = worker.metadata();
      String runtime = stringField(WORKERS_REGISTER, input, "runtime");
      String name = stringField(WORKERS_REGISTER, input, "name");
      String os = stringField(WORKERS_REGISTER, input, "os");
      JsonNode pid = input.get("pid");
      JsonNode telemetry = input.get("telemetry");
      worker.metadata(
          new Worker.Metadata(
              name != null ? name : old.name(),
              runtime != null ? runtime : "unknown",
              stringField(WORKERS_REGISTER, input, "version"),
              os != null ? os : old.os(),
              pid != null && pid.canConvertToLong() ? Long.valueOf(pid.asLong()) : old.pid(),
              telemetry == null || telemetry.isNull() ? null : telemetry));
      messages.workerMetadataUpdated(worker);
    }
    ObjectNode out = JSON.objectNode();
    out.put("success", true);
    return CompletableFuture.completedFuture(out);
  }

  private CompletableFuture<@Nullable JsonNode> listTriggers(JsonNode input) {
    boolean includeInternal = booleanField(TRIGGERS_LIST, input, "include_internal");
    ObjectNode out = JSON.objectNode();
    ArrayNode list = out.putArray("triggers");
    for (Trigger trigger : triggers.allTriggers()) {
      if (includeInternal || !trigger.functionId().startsWith(EngineFunctions.PREFIX)) {
        ObjectNode node = list.addObject();
        node.put("id", trigger.id());
        node.put("trigger_type", trigger.triggerType());
        node.put("function_id", trigger.functionId());
        node.set("config", trigger.config());
      }
    }
    return CompletableFuture.completedFuture(out);
  }

  private CompletableFuture<@Nullable JsonNode> createChannel(JsonNode input) {
    JsonNode size = input.get("buffer_size");
    int bufferSize = ChannelRegistry.DEFAULT_BUFFER_SIZE;
    if (size != null && !size.isNull()) {
      if (!size.canConvertToInt() || !size.isIntegralNumber()) {
        throw deserializationError(
            CHANNELS_CREATE, "invalid type for `buffer_size`: expected an integer");
      }
      bufferSize = size.asInt();
    }
    Channel channel = channels.create(bufferSize);
    ChannelRef writer = channel.ref(ChannelRef.Direction.WRITE);
    ObjectNode out = JSON.objectNode();
    out.set("writer", tree(writer));
    out.set("reader", tree(writer.withDirection(ChannelRef.Direction.READ)));
    return CompletableFuture.completedFuture(out);
  }

  /** The official FunctionInfo (the protocol record writes all five keys, {@code null} too). */
  static FunctionInfo functionInfo(RegisteredFunction function) {
    return new FunctionInfo(
        function.id(),
        function.description(),
        function.requestFormat(),
        function.responseFormat(),
        function.metadata());
  }

  /** The official WorkerInfo (the protocol record keeps the key order; {@code pid} when known). */
  private WorkerInfo workerInfo(Worker worker) {
    Worker.Metadata meta = worker.metadata();
    List<String> ids = functions.ownedBy(worker);
    return new WorkerInfo(
        worker.id(),
        meta.name(),
        meta.runtime(),
        meta.version(),
        meta.os(),
        worker.ipAddress(),
        "connected",
        worker.connectedAtMs(),
        ids.size(),
        ids,
        invocations.activeInvocations(worker),
        meta.pid(),
        telemetry.latestMetrics(worker.id(), meta.runtime()));
  }

  /** A wire record (or a list of them) as the tree a built-in answers with. */
  private static JsonNode tree(Object value) {
    return MessageCodec.instance().mapper().valueToTree(value);
  }

  private static boolean booleanField(String functionId, JsonNode input, String field) {
    JsonNode value = input.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw deserializationError(
          functionId, "invalid type for `" + field + "`: expected a boolean");
    }
    return value.booleanValue();
  }

  private static @Nullable String stringField(String functionId, JsonNode input, String field) {
    JsonNode value = input.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw deserializationError(functionId, "invalid type for `" + field + "`: expected a string");
    }
    return value.stringValue();
  }

  private static InvocationError deserializationError(String functionId, String detail) {
    return new InvocationError(
        "deserialization_error", "Failed to deserialize input for " + functionId + ": " + detail);
  }
}
