package dev.iii.stream;

import dev.iii.IIIClient;
import dev.iii.UpdateOp;
import dev.iii.UpdateOpError;
import dev.iii.internal.ChangeResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Typed access to the engine's streams: a thin layer over the functions {@code stream::get}, {@code
 * set}, {@code delete}, {@code update}, {@code list}, {@code list_groups} and {@code send} (the
 * official engine's {@code iii-stream} worker, or a worker's custom stream), so it works against
 * the real engine unchanged. Items are addressed by stream name, group id and item id; values are
 * converted with Jackson to the type asked for.
 *
 * <pre>{@code
 * Streams streams = iii.streams();
 * streams.set("todos", "inbox", "t1", new Todo("write docs", false)).join();
 * Todo todo = streams.get("todos", "inbox", "t1", Todo.class).join();
 * }</pre>
 *
 * <p>Thread-safe: stateless apart from the client and the mapper.
 */
public final class Streams {

  private final IIIClient client;
  private final JsonMapper mapper;

  /** Streams over a client's calls, converting values with a default {@code JsonMapper}. */
  public Streams(IIIClient client) {
    this(client, JsonMapper.builder().build());
  }

  /** Streams over a client's calls, converting values with {@code mapper}. */
  public Streams(IIIClient client, JsonMapper mapper) {
    this.client = Objects.requireNonNull(client, "client");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /**
   * What {@code stream::set} or {@code stream::update} did.
   *
   * @param oldValue the value before, or {@code null} when the item was new
   * @param newValue the value stored
   * @param errors the update operations that failed (the others applied); empty for a set
   */
  public record Change<T>(@Nullable T oldValue, @Nullable T newValue, List<UpdateOpError> errors) {
    public Change {
      errors = List.copyOf(errors);
    }
  }

  /** An item's value, or {@code null} when there is none. */
  public <T> CompletableFuture<@Nullable T> get(
      String streamName, String groupId, String itemId, Class<T> type) {
    return call("stream::get", location(streamName, groupId, itemId))
        .thenApply(node -> ChangeResults.value(mapper, node, type));
  }

  /** Stores an item's value; subscribers of its group get a {@code create} or {@code update}. */
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<Change<T>> set(
      String streamName, String groupId, String itemId, T data) {
    Map<String, @Nullable Object> input = location(streamName, groupId, itemId);
    input.put("data", data);
    Class<T> type = (Class<T>) data.getClass();
    return call("stream::set", input).thenApply(node -> change(node, type));
  }

  /**
   * Removes an item; subscribers get a {@code delete} when it existed.
   *
   * @return the value it had, or {@code null}
   */
  public <T> CompletableFuture<@Nullable T> delete(
      String streamName, String groupId, String itemId, Class<T> type) {
    return call("stream::delete", location(streamName, groupId, itemId))
        .thenApply(
            node -> node == null ? null : ChangeResults.value(mapper, node.get("old_value"), type));
  }

  /** Applies update operations to an item atomically (an absent item starts as {@code null}). */
  public <T> CompletableFuture<Change<T>> update(
      String streamName, String groupId, String itemId, List<UpdateOp> ops, Class<T> type) {
    Map<String, @Nullable Object> input = location(streamName, groupId, itemId);
    input.put("ops", ops.stream().map(UpdateOp::toWire).toList());
    return call("stream::update", input).thenApply(node -> change(node, type));
  }

  /** The values of a group, in the order they were first set. */
  public <T> CompletableFuture<List<T>> list(String streamName, String groupId, Class<T> type) {
    Map<String, @Nullable Object> input = new LinkedHashMap<>();
    input.put("stream_name", streamName);
    input.put("group_id", groupId);
    return call("stream::list", input)
        .thenApply(
            node -> {
              List<T> values = new ArrayList<>();
              if (node != null) {
                for (JsonNode value : node) {
                  values.add(Objects.requireNonNull(mapper.treeToValue(value, type)));
                }
              }
              return values;
            });
  }

  /** The groups of a stream. */
  public CompletableFuture<List<String>> listGroups(String streamName) {
    Map<String, @Nullable Object> input = new LinkedHashMap<>();
    input.put("stream_name", streamName);
    return call("stream::list_groups", input)
        .thenApply(
            node -> {
              List<String> groups = new ArrayList<>();
              if (node != null) {
                node.forEach(group -> groups.add(group.asString()));
              }
              return groups;
            });
  }

  /**
   * Sends a custom event to a group's subscribers ({@code {"type": "event", "event": {"type",
   * "data"}}} on the stream WebSocket) and to {@code stream} triggers; nothing is stored.
   *
   * @param id the item the event is about ({@code null}: the group), which item subscribers filter
   *     on
   */
  public CompletableFuture<Void> send(
      String streamName, String groupId, @Nullable String id, String type, @Nullable Object data) {
    Map<String, @Nullable Object> input = new LinkedHashMap<>();
    input.put("stream_name", streamName);
    input.put("group_id", groupId);
    input.put("id", id);
    input.put("type", type);
    input.put("data", data);
    return call("stream::send", input).thenApply(ignored -> null);
  }

  private CompletableFuture<@Nullable JsonNode> call(
      String functionId, Map<String, @Nullable Object> input) {
    return client.call(functionId, input, JsonNode.class);
  }

  private static Map<String, @Nullable Object> location(
      String streamName, String groupId, String itemId) {
    Map<String, @Nullable Object> input = new LinkedHashMap<>();
    input.put("stream_name", streamName);
    input.put("group_id", groupId);
    input.put("item_id", itemId);
    return input;
  }

  private <T> Change<T> change(@Nullable JsonNode node, Class<T> type) {
    if (node == null) {
      return new Change<>(null, null, List.of());
    }
    List<UpdateOpError> errors = ChangeResults.errors(node);
    return new Change<>(
        ChangeResults.value(mapper, node.get("old_value"), type),
        ChangeResults.value(mapper, node.get("new_value"), type),
        errors);
  }
}
