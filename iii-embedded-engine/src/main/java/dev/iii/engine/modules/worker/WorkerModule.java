package dev.iii.engine.modules.worker;

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
 */
public final class WorkerModule {

  public static final String FUNCTIONS_LIST = "engine::functions::list";
  public static final String WORKERS_LIST = "engine::workers::list";
  public static final String WORKERS_REGISTER = "engine::workers::register";
  public static final String TRIGGERS_LIST = "engine::triggers::list";
  public static final String CHANNELS_CREATE = "engine::channels::create";
  public static final String FUNCTIONS_AVAILABLE = "engine::functions-available";

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
            MessageRouter.WORKERS_AVAILABLE,
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
    ArrayNode list = payload.putArray("functions");
    functions.all().forEach(f -> list.add(functionInfo(f)));
    invocations.fireTriggers(FUNCTIONS_AVAILABLE, payload);
  }

  private List<String> currentIds() {
    return functions.all().stream().map(RegisteredFunction::id).toList();
  }

  private CompletableFuture<@Nullable JsonNode> listFunctions(JsonNode input) {
    boolean includeInternal = booleanField(FUNCTIONS_LIST, input, "include_internal");
    ObjectNode out = JSON.objectNode();
    ArrayNode list = out.putArray("functions");
    for (RegisteredFunction function : functions.all()) {
      if (includeInternal || !function.id().startsWith("engine::")) {
        list.add(functionInfo(function));
      }
    }
    return CompletableFuture.completedFuture(out);
  }

  private CompletableFuture<@Nullable JsonNode> listWorkers(JsonNode input) {
    String filter = stringField(WORKERS_LIST, input, "worker_id");
    ObjectNode out = JSON.objectNode();
    ArrayNode list = out.putArray("workers");
    for (Worker worker : workers.all()) {
      if (filter == null || filter.equals(worker.id())) {
        list.add(workerInfo(worker));
      }
    }
    out.put("timestamp", System.currentTimeMillis());
    return CompletableFuture.completedFuture(out);
  }

  private CompletableFuture<@Nullable JsonNode> registerWorker(JsonNode input) {
    String callerId = stringField(WORKERS_REGISTER, input, "_caller_worker_id");
    if (callerId == null) {
      throw deserializationError(WORKERS_REGISTER, "missing field `_caller_worker_id`");
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
      if (includeInternal || !trigger.functionId().startsWith("engine::")) {
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
    ObjectNode out = JSON.objectNode();
    out.set("writer", channelRef(channel, "write"));
    out.set("reader", channelRef(channel, "read"));
    return CompletableFuture.completedFuture(out);
  }

  private static ObjectNode channelRef(Channel channel, String direction) {
    ObjectNode ref = JSON.objectNode();
    ref.put("channel_id", channel.id());
    ref.put("access_key", channel.accessKey());
    ref.put("direction", direction);
    return ref;
  }

  /** The official FunctionInfo shape: all five keys, {@code null} when unset. */
  static ObjectNode functionInfo(RegisteredFunction function) {
    ObjectNode node = JSON.objectNode();
    node.put("function_id", function.id());
    node.put("description", function.description());
    node.set("request_format", orNull(function.requestFormat()));
    node.set("response_format", orNull(function.responseFormat()));
    node.set("metadata", orNull(function.metadata()));
    return node;
  }

  /** The official WorkerInfo shape and key order; {@code pid} only when known. */
  private ObjectNode workerInfo(Worker worker) {
    Worker.Metadata meta = worker.metadata();
    List<String> ids = functions.ownedBy(worker);
    ObjectNode node = JSON.objectNode();
    node.put("id", worker.id());
    node.put("name", meta.name());
    node.put("runtime", meta.runtime());
    node.put("version", meta.version());
    node.put("os", meta.os());
    node.put("ip_address", worker.ipAddress());
    node.put("status", "connected");
    node.put("connected_at_ms", worker.connectedAtMs());
    node.put("function_count", ids.size());
    ArrayNode list = node.putArray("functions");
    ids.forEach(list::add);
    node.put("active_invocations", worker.invocations().size());
    node.set("latest_metrics", orNull(telemetry.latestMetrics(worker.id(), meta.runtime())));
    if (meta.pid() != null) {
      node.put("pid", meta.pid());
    }
    return node;
  }

  private static JsonNode orNull(@Nullable JsonNode node) {
    return node == null ? JSON.nullNode() : node;
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
