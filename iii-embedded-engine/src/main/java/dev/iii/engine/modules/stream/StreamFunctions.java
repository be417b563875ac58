package dev.iii.engine.modules.stream;

import dev.iii.engine.kv.KvStore;
import dev.iii.engine.kv.UpdateOp;
import dev.iii.engine.kv.UpdateOpError;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.protocol.ErrorBody;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code stream::*} functions. Each one first looks for a custom stream: a function {@code
 * stream::<op>(<stream_name>)} a worker registered ({@code createStream} in the SDKs), which then
 * answers instead of the store; otherwise it uses the module's {@link KvStore}, one scope per
 * stream group ({@code stream:<stream>:<group>}, as the official kv adapter keys them). Every
 * change is passed to the {@code stream} triggers and then to the subscribed sockets.
 *
 * <p>Concurrency: stateless apart from the thread-safe store; calls never block.
 */
final class StreamFunctions {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final KvStore store;
  private final FunctionRegistry functions;
  private final InvocationRouter invocations;
  private final StreamTriggers triggers;
  private final StreamHub hub;

  StreamFunctions(
      KvStore store,
      FunctionRegistry functions,
      InvocationRouter invocations,
      StreamTriggers triggers,
      StreamHub hub) {
    this.store = store;
    this.functions = functions;
    this.invocations = invocations;
    this.triggers = triggers;
    this.hub = hub;
  }

  static String scope(String streamName, String groupId) {
    return "stream:" + streamName + ":" + groupId;
  }

  // ---- the functions

  CompletableFuture<@Nullable JsonNode> set(JsonNode raw) {
    StreamInput input = StreamInput.of("stream::set", raw);
    String stream = input.string("stream_name");
    String group = input.string("group_id");
    String item = input.string("item_id");
    JsonNode data = input.any("data");
    ObjectNode normalized = location(stream, group, item);
    normalized.set("data", data);
    return change(
            "stream::set",
            stream,
            normalized,
            "STREAM_SET_ERROR",
            "Failed to set value",
            () -> {
              KvStore.SetResult result = store.set(scope(stream, group), item, data.deepCopy());
              return result(result.oldValue(), result.newValue());
            })
        .thenApply(
            result -> {
              publishChange(stream, group, item, result);
              return result;
            });
  }

  CompletableFuture<@Nullable JsonNode> get(JsonNode raw) {
    StreamInput input = StreamInput.of("stream::get", raw);
    return get(input.string("stream_name"), input.string("group_id"), input.string("item_id"));
  }

  /** The item's value ({@code null}: none), from the custom stream if there is one. */
  CompletableFuture<@Nullable JsonNode> get(String stream, String group, String item) {
    String custom = "stream::get(" + stream + ")";
    if (functions.get(custom).isPresent()) {
      return invocations.call(custom, location(stream, group, item));
    }
    JsonNode value = store.get(scope(stream, group), item);
    return CompletableFuture.completedFuture(value == null ? null : value.deepCopy());
  }

  CompletableFuture<@Nullable JsonNode> delete(JsonNode raw) {
    StreamInput input = StreamInput.of("stream::delete", raw);
    String stream = input.string("stream_name");
    String group = input.string("group_id");
    String item = input.string("item_id");
    return change(
            "stream::delete",
            stream,
            location(stream, group, item),
            "STREAM_DELETE_ERROR",
            "Failed to delete value",
            () -> {
              ObjectNode result = JSON.objectNode();
              JsonNode old = store.delete(scope(stream, group), item);
              result.set("old_value", old == null ? NullNode.getInstance() : old);
              return result;
            })
        .thenApply(
            result -> {
              JsonNode old = result.get("old_value");
              if (old != null && !old.isNull()) {
                publish(StreamMessages.message("delete", stream, group, item, old));
              }
              return result;
            });
  }

  CompletableFuture<@Nullable JsonNode> list(JsonNode raw) {
    StreamInput input = StreamInput.of("stream::list", raw);
    return list(input.string("stream_name"), input.string("group_id"));
  }

  /** The group's values in insertion order, from the custom stream if there is one. */
  CompletableFuture<@Nullable JsonNode> list(String stream, String group) {
    String custom = "stream::list(" + stream + ")";
    if (functions.get(custom).isPresent()) {
      ObjectNode input = JSON.objectNode();
      input.put("stream_name", stream);
      input.put("group_id", group);
      return invocations.call(custom, input);
    }
    ArrayNode values = JSON.arrayNode();
    store.list(scope(stream, group)).forEach(value -> values.add(value.deepCopy()));
    return CompletableFuture.completedFuture(values);
  }

  CompletableFuture<@Nullable JsonNode> listGroups(JsonNode raw) {
    StreamInput input = StreamInput.of("stream::list_groups", raw);
    String stream = input.string("stream_name");
    String custom = "stream::list_groups(" + stream + ")";
    if (functions.get(custom).isPresent()) {
      ObjectNode normalized = JSON.objectNode();
      normalized.put("stream_name", stream);
      return invocations.call(custom, normalized);
    }
    String prefix = scope(stream, "");
    ArrayNode groups = JSON.arrayNode();
    for (String scope : store.scopes()) {
      if (scope.startsWith(prefix)) {
        groups.add(scope.substring(prefix.length()));
      }
    }
    return CompletableFuture.completedFuture(groups);
  }

  /**
   * Every stream of the store and its groups, sorted: {@code {"stream": [{"id", "groups"}],
   * "count"}}. Custom streams are not listed (as in the official engine).
   */
  CompletableFuture<@Nullable JsonNode> listAll(JsonNode raw) {
    StreamInput.of("stream::list_all", raw);
    Map<String, TreeSet<String>> streams = new TreeMap<>();
    for (String scope : store.scopes()) {
      // As the official adapter parses its keys: stream:<name>:<group>, split on every ':'.
      String[] parts = scope.split(":", -1);
      if (parts.length >= 3 && parts[0].equals("stream")) {
        streams.computeIfAbsent(parts[1], name -> new TreeSet<>()).add(parts[2]);
      }
    }
    ArrayNode list = JSON.arrayNode();
    streams.forEach(
        (name, groups) -> {
          ObjectNode entry = list.addObject();
          entry.put("id", name);
          ArrayNode names = entry.putArray("groups");
          groups.forEach(names::add);
        });
    ObjectNode result = JSON.objectNode();
    result.set("stream", list);
    result.put("count", list.size());
    return CompletableFuture.completedFuture(result);
  }

  CompletableFuture<@Nullable JsonNode> send(JsonNode raw) {
    StreamInput input = StreamInput.of("stream::send", raw);
    String stream = input.string("stream_name");
    String group = input.string("group_id");
    String id = input.optionalString("id");
    String type = input.string("type");
    JsonNode data = input.any("data");
    publish(StreamMessages.custom(stream, group, id, type, data.deepCopy()));
    return CompletableFuture.completedFuture(null);
  }

  CompletableFuture<@Nullable JsonNode> update(JsonNode raw) {
    StreamInput input = StreamInput.of("stream::update", raw);
    String stream = input.string("stream_name");
    String group = input.string("group_id");
    String item = input.string("item_id");
    List<UpdateOp> ops = input.ops();
    ObjectNode normalized = location(stream, group, item);
    normalized.set("ops", raw.get("ops").deepCopy());
    return change(
            "stream::update",
            stream,
            normalized,
            "STREAM_UPDATE_ERROR",
            "Failed to update value",
            () -> {
              KvStore.UpdateResult result = store.update(scope(stream, group), item, ops);
              ObjectNode answer = result(result.oldValue(), result.newValue());
              if (!result.errors().isEmpty()) {
                ArrayNode errors = answer.putArray("errors");
                for (UpdateOpError error : result.errors()) {
                  ObjectNode entry = errors.addObject();
                  entry.put("op_index", error.opIndex());
                  entry.put("code", error.code());
                  entry.put("message", error.message());
                  if (error.docUrl() != null) {
                    entry.put("doc_url", error.docUrl());
                  }
                }
              }
              return answer;
            })
        .thenApply(
            result -> {
              publishChange(stream, group, item, result);
              return result;
            });
  }

  // ---- helpers

  private static ObjectNode location(String stream, String group, String item) {
    ObjectNode input = JSON.objectNode();
    input.put("stream_name", stream);
    input.put("group_id", group);
    input.put("item_id", item);
    return input;
  }

  private static ObjectNode result(@Nullable JsonNode oldValue, JsonNode newValue) {
    ObjectNode result = JSON.objectNode();
    result.set("old_value", oldValue == null ? NullNode.getInstance() : oldValue.deepCopy());
    result.set("new_value", newValue.deepCopy());
    return result;
  }

  /**
   * Runs a change on the custom stream {@code <op>(<stream>)} when a worker registered one, else on
   * the store. A custom stream's result must have the official result's shape.
   */
  private CompletableFuture<ObjectNode> change(
      String op,
      String stream,
      ObjectNode input,
      String errorCode,
      String errorPrefix,
      java.util.function.Supplier<ObjectNode> local) {
    String custom = op + "(" + stream + ")";
    if (functions.get(custom).isEmpty()) {
      return CompletableFuture.completedFuture(local.get());
    }
    Function<JsonNode, ObjectNode> check =
        result -> {
          boolean shaped =
              result.isObject() && (op.equals("stream::delete") || result.has("new_value"));
          if (!shaped) {
            throw new InvocationError(
                "JSON_ERROR",
                "Failed to convert result to value: the result of "
                    + custom
                    + " is not {old_value, new_value}");
          }
          ObjectNode copy = (ObjectNode) result.deepCopy();
          if (!copy.has("old_value")) {
            copy.set("old_value", NullNode.getInstance());
          }
          return copy;
        };
    return invocations
        .call(custom, input)
        .handle(
            (result, error) -> {
              if (error != null) {
                ErrorBody body = InvocationError.of(error).body();
                throw new InvocationError(
                    errorCode,
                    errorPrefix
                        + ": Failed to invoke function: ErrorBody { code: \""
                        + body.code()
                        + "\", message: \""
                        + body.message()
                        + "\", stacktrace: None }");
              }
              if (result == null) {
                throw new InvocationError(errorCode, errorPrefix + ": Function returned no result");
              }
              return check.apply(result);
            });
  }

  /** A set or update: {@code update} when there was a value before, else {@code create}. */
  private void publishChange(String stream, String group, String item, JsonNode result) {
    JsonNode old = result.get("old_value");
    String type = old != null && !old.isNull() ? "update" : "create";
    JsonNode value = result.get("new_value");
    publish(
        StreamMessages.message(
            type, stream, group, item, value == null ? NullNode.getInstance() : value.deepCopy()));
  }

  /** To the {@code stream} triggers first, then to the sockets (the official order). */
  private void publish(ObjectNode message) {
    triggers.fire(message);
    hub.publish(message);
  }
}
