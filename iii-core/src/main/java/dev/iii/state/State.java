package dev.iii.state;

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
 * Typed access to the engine's key-value state ({@code iii-state}), the official SDKs' {@code
 * IState}: a thin layer over the functions {@code state::get}, {@code state::set}, {@code
 * state::delete}, {@code state::update}, {@code state::list} and {@code state::list_groups}, so it
 * works against the real engine unchanged. Values live under a scope and a key; they are written
 * with the client's Jackson mapper and converted back to the type asked for.
 *
 * <pre>{@code
 * State state = iii.state();
 * state.set("users", "u1", new User("Ada", 36)).join();
 * User user = state.get("users", "u1", User.class).join();          // null when absent
 * StateUpdateResult<User> r =
 *     state.update("users", "u1", List.of(UpdateOp.increment("age", 1)), User.class).join();
 * }</pre>
 *
 * <p>A missing value is {@code null} (as the official {@code get} answers {@code null}), not an
 * {@code Optional}, so that results read the same as the {@link IIIClient#call} they wrap. Every
 * future fails with the call's {@link dev.iii.IIIException} (e.g. {@code VALUE_TOO_LARGE}, {@code
 * deserialization_error}), or with Jackson's exception when a value does not convert to the type
 * asked for.
 *
 * <p>Thread-safe: stateless apart from the client and the mapper.
 */
public final class State {

  private final IIIClient client;
  private final JsonMapper mapper;

  /** State over a client's calls, converting values with a default {@code JsonMapper}. */
  public State(IIIClient client) {
    this(client, JsonMapper.builder().build());
  }

  /** State over a client's calls, converting values with {@code mapper}. */
  public State(IIIClient client, JsonMapper mapper) {
    this.client = Objects.requireNonNull(client, "client");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /**
   * Reads a value ({@code state::get}).
   *
   * @return the value converted to {@code type}, or {@code null} when the key does not exist
   */
  public <T> CompletableFuture<@Nullable T> get(String scope, String key, Class<T> type) {
    return call("state::get", at(scope, key))
        .thenApply(node -> ChangeResults.value(mapper, node, type));
  }

  /**
   * Stores a value, creating or replacing it ({@code state::set}); {@code state} triggers get a
   * {@code state:created} or {@code state:updated} event.
   *
   * @param value anything Jackson can write
   * @return the value before (or {@code null}) and the value stored, as JSON
   */
  public CompletableFuture<StateSetResult<JsonNode>> set(
      String scope, String key, @Nullable Object value) {
    return set(scope, key, value, JsonNode.class);
  }

  /**
   * Like {@link #set(String, String, Object)}, with the old and new values converted to {@code
   * type}.
   */
  public <T> CompletableFuture<StateSetResult<T>> set(
      String scope, String key, @Nullable Object value, Class<T> type) {
    Map<String, @Nullable Object> input = at(scope, key);
    input.put("value", value);
    return call("state::set", input)
        .thenApply(
            node ->
                node == null
                    ? new StateSetResult<>(null, null)
                    : new StateSetResult<>(
                        ChangeResults.value(mapper, node.get("old_value"), type),
                        ChangeResults.value(mapper, node.get("new_value"), type)));
  }

  /**
   * Deletes a value ({@code state::delete}); {@code state} triggers get a {@code state:deleted}
   * event, even when the key did not exist (as in the official engine).
   */
  public CompletableFuture<Void> delete(String scope, String key) {
    return call("state::delete", at(scope, key)).thenApply(ignored -> null);
  }

  /**
   * Deletes a value and returns the one it had.
   *
   * @return the removed value converted to {@code type}, or {@code null} when there was none
   */
  public <T> CompletableFuture<@Nullable T> delete(String scope, String key, Class<T> type) {
    return call("state::delete", at(scope, key))
        .thenApply(node -> ChangeResults.value(mapper, node, type));
  }

  /**
   * Applies operations to a value atomically, in order ({@code state::update}); a key that does not
   * exist starts as {@code {}}. An operation that fails is skipped and reported in {@link
   * StateUpdateResult#errors()}; the others still apply.
   *
   * @return the values before and after, as JSON, and the failed operations
   */
  public CompletableFuture<StateUpdateResult<JsonNode>> update(
      String scope, String key, List<UpdateOp> ops) {
    return update(scope, key, ops, JsonNode.class);
  }

  /**
   * Like {@link #update(String, String, List)}, with the old and new values converted to {@code
   * type}.
   */
  public <T> CompletableFuture<StateUpdateResult<T>> update(
      String scope, String key, List<UpdateOp> ops, Class<T> type) {
    Map<String, @Nullable Object> input = at(scope, key);
    input.put("ops", ops.stream().map(UpdateOp::toWire).toList());
    return call("state::update", input).thenApply(node -> updateResult(node, type));
  }

  /**
   * Lists the values of a scope ({@code state::list}), in the order their keys were created.
   *
   * @return the values converted to {@code type}; empty for an unknown scope
   */
  public <T> CompletableFuture<List<T>> list(String scope, Class<T> type) {
    Map<String, @Nullable Object> input = new LinkedHashMap<>();
    input.put("scope", Objects.requireNonNull(scope, "scope"));
    return call("state::list", input)
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

  /**
   * Lists the scopes that hold values ({@code state::list_groups}: its {@code groups}).
   *
   * @return the scope names, sorted
   */
  public CompletableFuture<List<String>> listGroups() {
    return call("state::list_groups", new LinkedHashMap<>())
        .thenApply(
            node -> {
              List<String> groups = new ArrayList<>();
              if (node != null) {
                node.path("groups").forEach(group -> groups.add(group.asString()));
              }
              return groups;
            });
  }

  private CompletableFuture<@Nullable JsonNode> call(
      String functionId, Map<String, @Nullable Object> input) {
    return client.call(functionId, input, JsonNode.class);
  }

  private static Map<String, @Nullable Object> at(String scope, String key) {
    Map<String, @Nullable Object> input = new LinkedHashMap<>();
    input.put("scope", Objects.requireNonNull(scope, "scope"));
    input.put("key", Objects.requireNonNull(key, "key"));
    return input;
  }

  private <T> StateUpdateResult<T> updateResult(@Nullable JsonNode node, Class<T> type) {
    if (node == null) {
      return new StateUpdateResult<>(null, null, List.of());
    }
    List<UpdateOpError> errors = ChangeResults.errors(node);
    return new StateUpdateResult<>(
        ChangeResults.value(mapper, node.get("old_value"), type),
        ChangeResults.value(mapper, node.get("new_value"), type),
        errors);
  }
}
