package dev.iii.engine.modules.state;

import dev.iii.engine.config.StateConfig;
import dev.iii.engine.kv.KvStore;
import dev.iii.engine.kv.UpdateOp;
import dev.iii.engine.kv.UpdateOpError;
import dev.iii.engine.kv.UpdateOps;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.registry.EngineFunction;
import dev.iii.engine.registry.InvocationError;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code iii-state} worker of the official engine ({@code engine/src/workers/state}): the
 * functions {@code state::get/set/delete/update/list/list_groups} over a {@link KvStore} (in memory
 * or file-based, from {@link StateConfig}), and the {@code state} trigger type fired with {@code
 * {type: "state", event_type: "state:created" | "state:updated" | "state:deleted", scope, key,
 * old_value, new_value}} after each write. See {@code docs/modules/state.md}.
 *
 * <p>Concurrency: the store makes each call atomic per key; the functions run on the caller's
 * thread and never block; trigger fan-outs run on the engine scheduler, apart from the write.
 */
public final class StateModule implements EngineModule {

  /** The in-process worker name the module is listed under. */
  public static final String NAME = "iii-state";

  /** The official description. */
  public static final String DESCRIPTION =
      "Distributed key-value state management with reactive change triggers.";

  private static final Logger log = LoggerFactory.getLogger(StateModule.class);
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final StateConfig config;
  private @Nullable KvStore store;
  private @Nullable StateTriggers triggers;

  /** A module with these settings; it starts with the engine. */
  public StateModule(StateConfig config) {
    this.config = config;
  }

  /** The module's settings. */
  public StateConfig config() {
    return config;
  }

  /** The store behind the functions (for tests and the engine's own use). */
  public KvStore store() {
    KvStore current = store;
    if (current == null) {
      throw new IllegalStateException("the state module is not started");
    }
    return current;
  }

  @Override
  public void start(ModuleContext context) {
    KvStore kv;
    if (config.fileBased()) {
      kv = KvStore.fileBased(config.filePath(), config.saveInterval());
      log.info("State is saved under {} every {}", config.filePath(), config.saveInterval());
    } else {
      log.warn(
          "State is kept in memory (store_method in_memory): it is lost when the engine stops");
      kv = KvStore.inMemory();
    }
    store = kv;
    StateTriggers fanOut =
        new StateTriggers(context.invocations(), context.scheduler(), config::triggersEnabled);
    triggers = fanOut;
    register(context, "state::set", "Set a value in state", input -> set(kv, fanOut, input));
    register(context, "state::get", "Get a value from state", input -> get(kv, input));
    register(
        context, "state::delete", "Delete a value from state", input -> delete(kv, fanOut, input));
    register(
        context, "state::update", "Update a value in state", input -> update(kv, fanOut, input));
    register(context, "state::list", "Get a group from state", input -> list(kv, input));
    register(context, "state::list_groups", "List all state groups", input -> groups(kv, input));
    context.registerTriggerType(StateTriggers.TRIGGER_TYPE, "State trigger", fanOut);
  }

  @Override
  public void close() {
    KvStore current = store;
    if (current != null) {
      current.close();
    }
  }

  private static void register(
      ModuleContext context,
      String id,
      String description,
      Function<JsonNode, @Nullable JsonNode> body) {
    EngineFunction function =
        input -> {
          try {
            return CompletableFuture.completedFuture(body.apply(input));
          } catch (InvocationError e) {
            return CompletableFuture.failedFuture(e);
          }
        };
    context.registerFunction(id, description, function);
  }

  private @Nullable JsonNode set(KvStore kv, StateTriggers fanOut, JsonNode raw) {
    StateInput input = StateInput.of("state::set", raw);
    String scope = input.string("scope");
    String key = input.string("key");
    JsonNode value = input.any("value", "data");
    Long limit = config.maxValueBytes();
    if (limit != null) {
      int size = MAPPER.writeValueAsBytes(value).length;
      if (size > limit) {
        throw new InvocationError(
            "VALUE_TOO_LARGE",
            "value of " + size + " bytes exceeds the configured max_value_bytes limit of " + limit);
      }
    }
    KvStore.SetResult result = kv.set(scope, key, value);
    fanOut.fire(
        event(
            result.oldValue() == null ? "state:created" : "state:updated",
            scope,
            key,
            result.oldValue(),
            value),
        scope,
        key);
    return pair(result.oldValue(), result.newValue());
  }

  private static @Nullable JsonNode get(KvStore kv, JsonNode raw) {
    StateInput input = StateInput.of("state::get", raw);
    return kv.get(input.string("scope"), input.string("key"));
  }

  private static @Nullable JsonNode delete(KvStore kv, StateTriggers fanOut, JsonNode raw) {
    StateInput input = StateInput.of("state::delete", raw);
    String scope = input.string("scope");
    String key = input.string("key");
    JsonNode old = kv.delete(scope, key);
    // As the official engine: a delete fires even when the key was absent.
    fanOut.fire(event("state:deleted", scope, key, old, NullNode.getInstance()), scope, key);
    return old;
  }

  private static JsonNode update(KvStore kv, StateTriggers fanOut, JsonNode raw) {
    StateInput input = StateInput.of("state::update", raw);
    String scope = input.string("scope");
    String key = input.string("key");
    List<UpdateOp> ops;
    try {
      ops = UpdateOps.parse(input.raw("ops"));
    } catch (IllegalArgumentException e) {
      throw StateInput.error("state::update", String.valueOf(e.getMessage()));
    }
    KvStore.UpdateResult result = kv.update(scope, key, ops);
    fanOut.fire(
        event(
            result.oldValue() == null ? "state:created" : "state:updated",
            scope,
            key,
            result.oldValue(),
            result.newValue()),
        scope,
        key);
    ObjectNode out = pair(result.oldValue(), result.newValue());
    if (!result.errors().isEmpty()) {
      ArrayNode errors = out.putArray("errors");
      for (UpdateOpError error : result.errors()) {
        ObjectNode node = errors.addObject();
        node.put("op_index", error.opIndex());
        node.put("code", error.code());
        node.put("message", error.message());
        if (error.docUrl() != null) {
          node.put("doc_url", error.docUrl());
        }
      }
    }
    return out;
  }

  private static JsonNode list(KvStore kv, JsonNode raw) {
    StateInput input = StateInput.of("state::list", raw);
    ArrayNode values = NODES.arrayNode();
    kv.list(input.string("scope")).forEach(values::add);
    return values;
  }

  private static JsonNode groups(KvStore kv, JsonNode raw) {
    StateInput.of("state::list_groups", raw);
    ObjectNode out = NODES.objectNode();
    ArrayNode groups = out.putArray("groups");
    new TreeSet<>(kv.scopes()).forEach(groups::add);
    return out;
  }

  private static ObjectNode pair(@Nullable JsonNode oldValue, JsonNode newValue) {
    ObjectNode out = NODES.objectNode();
    out.set("old_value", oldValue == null ? NullNode.getInstance() : oldValue);
    out.set("new_value", newValue);
    return out;
  }

  /** The official {@code StateEventData}, in its field order. */
  static ObjectNode event(
      String eventType, String scope, String key, @Nullable JsonNode oldValue, JsonNode newValue) {
    ObjectNode event = NODES.objectNode();
    event.put("type", "state");
    event.put("event_type", eventType);
    event.put("scope", scope);
    event.put("key", key);
    event.set("old_value", oldValue == null ? NullNode.getInstance() : oldValue);
    event.set("new_value", newValue);
    return event;
  }
}
