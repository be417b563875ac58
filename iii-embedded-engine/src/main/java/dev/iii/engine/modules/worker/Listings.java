package dev.iii.engine.modules.worker;

import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.telemetry.TelemetryStore;
import dev.iii.engine.registry.ModuleDirectory;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerType;
import dev.iii.engine.registry.Worker;
import dev.iii.protocol.FunctionDetail;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.RegisteredTriggerInfo;
import dev.iii.protocol.TriggerTypeInfo;
import dev.iii.protocol.WorkerDetail;
import dev.iii.protocol.WorkerInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the rows the built-ins answer with, from the registries, in the official v0.22 shapes
 * written as the superset of the v0.9 ones (see the protocol records). Who "owns" what follows the
 * official engine: a function belongs to the worker (or in-process module) that registered it, a
 * trigger type to its provider worker or the known module of that type, a registered trigger to the
 * owner of its function; whatever has no named owner is attributed to the first {@code ::} segment
 * of its id.
 *
 * <p>Stateless: every call reads the concurrent registries afresh.
 */
final class Listings {

  /** The official engine attributes these engine-provided trigger types to these workers. */
  private static final Map<String, String> KNOWN_TYPE_PROVIDERS =
      Map.ofEntries(
          Map.entry("http", "iii-http"),
          Map.entry("cron", "iii-cron"),
          Map.entry("subscribe", "iii-pubsub"),
          Map.entry("state", "iii-state"),
          Map.entry("durable:subscriber", "queue"),
          Map.entry("stream", "iii-stream"),
          Map.entry("stream:join", "iii-stream"),
          Map.entry("stream:leave", "iii-stream"),
          Map.entry("log", "iii-observability"),
          Map.entry("trace", "iii-observability"),
          Map.entry("configuration", "configuration"));

  private static final int CONFIG_SUMMARY_MAX_CODE_POINTS = 80;

  private final ModuleContext context;
  private final TelemetryStore telemetry;

  Listings(ModuleContext context, TelemetryStore telemetry) {
    this.context = context;
    this.telemetry = telemetry;
  }

  // ------------------------------------------------------------------ functions

  /** Every function, as list rows sorted by id. */
  List<FunctionInfo> functionRows() {
    return context.functions().all().stream().map(Listings::functionRow).toList();
  }

  static FunctionInfo functionRow(RegisteredFunction function) {
    return new FunctionInfo(
        function.id(),
        workerNameOf(function),
        function.description(),
        function.requestFormat(),
        function.responseFormat(),
        function.metadata(),
        null);
  }

  /** The name of the worker or module that provides a function. */
  static String workerNameOf(RegisteredFunction function) {
    Worker owner = function.owner();
    String name = owner != null ? owner.metadata().name() : function.moduleName();
    return name != null ? name : firstSegment(function.id());
  }

  /** Who provides the function of the given id, or the id's first segment when nobody does. */
  String workerNameOfFunction(String functionId) {
    return context
        .functions()
        .get(functionId)
        .map(Listings::workerNameOf)
        .orElseGet(() -> firstSegment(functionId));
  }

  @Nullable FunctionDetail functionDetail(String functionId) {
    RegisteredFunction function = context.functions().get(functionId).orElse(null);
    if (function == null) {
      return null;
    }
    List<FunctionDetail.TriggerBinding> bindings = new ArrayList<>();
    for (Trigger trigger : context.triggers().allTriggers()) {
      if (trigger.functionId().equals(functionId)) {
        bindings.add(
            new FunctionDetail.TriggerBinding(
                trigger.id(), trigger.triggerType(), trigger.config()));
      }
    }
    return new FunctionDetail(
        functionId,
        null,
        workerNameOf(function),
        function.description(),
        function.requestFormat(),
        function.responseFormat(),
        function.metadata(),
        bindings);
  }

  // ------------------------------------------------------------------ trigger types

  List<TriggerTypeInfo> triggerTypeRows() {
    return context.triggers().allTypes().stream()
        .map(type -> TriggerTypeInfo.summary(type.id(), ownerNameOf(type), type.description()))
        .sorted(Comparator.comparing(TriggerTypeInfo::id))
        .toList();
  }

  @Nullable TriggerTypeInfo triggerTypeDetail(String typeId) {
    TriggerType type = context.triggers().type(typeId);
    if (type == null) {
      return null;
    }
    int instances = context.triggers().triggersOfType(typeId).size();
    return new TriggerTypeInfo(
        type.id(),
        null,
        ownerNameOf(type),
        type.description(),
        type.configurationSchema(),
        type.requestSchema(),
        type.responseSchema(),
        instances);
  }

  /** The provider worker's name, else the known provider of the type, else its first segment. */
  String ownerNameOf(TriggerType type) {
    String workerId = type.ownerWorkerId();
    if (workerId != null) {
      String name =
          context.workers().get(workerId).map(worker -> worker.metadata().name()).orElse(null);
      if (name != null) {
        return name;
      }
    }
    String known = KNOWN_TYPE_PROVIDERS.get(type.id());
    return known != null ? known : firstSegment(type.id());
  }

  // ------------------------------------------------------------------ registered triggers

  /** Every live trigger, as list rows sorted by id. */
  List<RegisteredTriggerInfo> registeredTriggerRows() {
    return context.triggers().allTriggers().stream()
        .map(this::registeredTriggerRow)
        .sorted(Comparator.comparing(RegisteredTriggerInfo::id))
        .toList();
  }

  RegisteredTriggerInfo registeredTriggerRow(Trigger trigger) {
    return new RegisteredTriggerInfo(
        trigger.id(),
        trigger.triggerType(),
        trigger.functionId(),
        workerNameOfFunction(trigger.functionId()),
        trigger.config(),
        configSummary(trigger.config()),
        null,
        null,
        null);
  }

  /** One live trigger in detail; {@code trigger} and {@code function} are {@code null} if gone. */
  @Nullable ObjectNode registeredTriggerDetail(String triggerId) {
    Trigger trigger = context.triggers().trigger(triggerId).orElse(null);
    if (trigger == null) {
      return null;
    }
    RegisteredTriggerInfo detail =
        new RegisteredTriggerInfo(
            trigger.id(),
            trigger.triggerType(),
            trigger.functionId(),
            workerNameOfFunction(trigger.functionId()),
            trigger.config(),
            null,
            trigger.metadata(),
            triggerTypeDetail(trigger.triggerType()),
            functionDetail(trigger.functionId()));
    ObjectNode node = (ObjectNode) tree(detail);
    if (!node.has("trigger")) {
      node.putNull("trigger");
    }
    if (!node.has("function")) {
      node.putNull("function");
    }
    return node;
  }

  /**
   * A trigger's config as the official list shows it: compact JSON with sorted keys (as serde
   * writes a map), cut after 80 characters with an ellipsis.
   */
  static String configSummary(JsonNode config) {
    String raw = MessageCodec.instance().mapper().writeValueAsString(sorted(config));
    if (raw.codePointCount(0, raw.length()) <= CONFIG_SUMMARY_MAX_CODE_POINTS) {
      return raw;
    }
    return raw.substring(0, raw.offsetByCodePoints(0, CONFIG_SUMMARY_MAX_CODE_POINTS)) + "…";
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> members = new TreeMap<>();
      node.properties().forEach(e -> members.put(e.getKey(), sorted(e.getValue())));
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      members.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node;
  }

  // ------------------------------------------------------------------ workers

  /**
   * The connected workers and the in-process modules, sorted by name (or id), then id.
   *
   * @param workerId only this worker (a v0.9 filter), or {@code null} for all; without it,
   *     connected workers that reported no {@code pid} are left out, as the official engine does
   */
  List<WorkerInfo> workerRows(@Nullable String workerId) {
    List<WorkerInfo> rows = new ArrayList<>();
    for (Worker worker : context.workers().all()) {
      if (workerId == null ? worker.metadata().pid() != null : workerId.equals(worker.id())) {
        rows.add(workerRow(worker, false));
      }
    }
    for (ModuleDirectory.Module module : context.modules().all()) {
      if (workerId == null || workerId.equals(module.name())) {
        rows.add(moduleRow(module, false));
      }
    }
    rows.sort(
        Comparator.comparing((WorkerInfo row) -> Objects.requireNonNullElse(row.name(), row.id()))
            .thenComparing(WorkerInfo::id));
    return rows;
  }

  /**
   * A connected worker's row.
   *
   * @param detail whether it is for {@code engine::workers::info} (adds {@code internal})
   */
  WorkerInfo workerRow(Worker worker, boolean detail) {
    Worker.Metadata meta = worker.metadata();
    List<String> ids = context.functions().ownedBy(worker);
    return new WorkerInfo(
        worker.id(),
        meta.name(),
        meta.description(),
        meta.runtime(),
        meta.version(),
        meta.os(),
        worker.ipAddress(),
        "connected",
        worker.connectedAtMs(),
        ids.size(),
        ids,
        context.invocations().activeInvocations(worker),
        meta.isolation(),
        meta.pid(),
        telemetry.latestMetrics(worker.id(), meta.runtime()),
        detail ? Boolean.FALSE : null,
        null);
  }

  /** An in-process module's row ({@code runtime: "engine"}, always available). */
  static WorkerInfo moduleRow(ModuleDirectory.Module module, boolean detail) {
    List<String> ids = module.functions();
    return new WorkerInfo(
        module.name(),
        module.name(),
        module.description(),
        "engine",
        EngineFunctionsModule.ENGINE_VERSION,
        null,
        null,
        "available",
        module.startedAtMs(),
        ids.size(),
        ids,
        0,
        "in-process",
        null,
        null,
        detail ? module.internal() : null,
        null);
  }

  /** One worker (a module first, then a connected worker) by name, in detail. */
  @Nullable WorkerDetail workerDetail(String name) {
    WorkerInfo row = null;
    ModuleDirectory.Module module = context.modules().byName(name).orElse(null);
    if (module != null) {
      row = moduleRow(module, true);
    } else {
      for (Worker worker : context.workers().all()) {
        if (name.equals(worker.metadata().name())) {
          row = workerRow(worker, true);
          break;
        }
      }
    }
    if (row == null) {
      return null;
    }
    List<FunctionInfo> functions = new ArrayList<>();
    for (String id : row.functions()) {
      context.functions().get(id).ifPresent(f -> functions.add(functionRow(f)));
    }
    functions.sort(Comparator.comparing(FunctionInfo::functionId));
    Set<String> ids = functions.stream().map(FunctionInfo::functionId).collect(Collectors.toSet());
    List<TriggerTypeInfo> types =
        triggerTypeRows().stream().filter(t -> name.equals(t.workerName())).toList();
    List<RegisteredTriggerInfo> triggers =
        registeredTriggerRows().stream().filter(t -> ids.contains(t.functionId())).toList();
    return new WorkerDetail(row, functions, types, triggers);
  }

  // ------------------------------------------------------------------ helpers

  static String firstSegment(String id) {
    int separator = id.indexOf("::");
    return separator < 0 ? id : id.substring(0, separator);
  }

  /** A wire record (or a list of them) as the tree a built-in answers with. */
  static JsonNode tree(Object value) {
    return MessageCodec.instance().mapper().valueToTree(value);
  }
}
