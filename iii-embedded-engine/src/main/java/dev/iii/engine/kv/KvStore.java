package dev.iii.engine.kv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Scopes (the official engine's "index" or "group") of keys in insertion order, each holding a JSON
 * value.
 *
 * <p>Concurrency: each scope is guarded by its own monitor, so operations on one key are atomic and
 * operations on different scopes run in parallel; values are never mutated in place.
 */
public final class KvStore implements AutoCloseable {

  private final Map<String, Map<String, JsonNode>> scopes = new ConcurrentHashMap<>();

  private KvStore() {}

  /** A store that keeps everything in memory (the official {@code in_memory} store method). */
  public static KvStore inMemory() {
    return new KvStore();
  }

  /** The value of a key, or {@code null}. */
  public @Nullable JsonNode get(String scope, String key) {
    Map<String, JsonNode> entries = scopes.get(scope);
    if (entries == null) {
      return null;
    }
    synchronized (entries) {
      return entries.get(key);
    }
  }

  /** Stores a value; the result has the value it replaced. */
  public SetResult set(String scope, String key, JsonNode value) {
    Map<String, JsonNode> entries = scopes.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    synchronized (entries) {
      return new SetResult(entries.put(key, value), value);
    }
  }

  /** Removes a key; returns the value it had, or {@code null}. */
  public @Nullable JsonNode delete(String scope, String key) {
    Map<String, JsonNode> entries = scopes.get(scope);
    if (entries == null) {
      return null;
    }
    synchronized (entries) {
      return entries.remove(key);
    }
  }

  /**
   * Applies update operations to one key atomically (an absent key starts as {@code null}); ops
   * that fail are reported in the result and leave the value as the previous ops made it.
   */
  public UpdateResult update(String scope, String key, List<UpdateOp> ops) {
    Map<String, JsonNode> entries = scopes.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    synchronized (entries) {
      JsonNode old = entries.get(key);
      UpdateOps.Applied applied = UpdateOps.apply(old, ops);
      entries.put(key, applied.value());
      return new UpdateResult(old, applied.value(), applied.errors());
    }
  }

  /** The values of a scope, in insertion order. */
  public List<JsonNode> list(String scope) {
    Map<String, JsonNode> entries = scopes.get(scope);
    if (entries == null) {
      return List.of();
    }
    synchronized (entries) {
      return new ArrayList<>(entries.values());
    }
  }

  /** The keys and values of a scope, in insertion order. */
  public Map<String, JsonNode> entries(String scope) {
    Map<String, JsonNode> entries = scopes.get(scope);
    if (entries == null) {
      return Map.of();
    }
    synchronized (entries) {
      return new LinkedHashMap<>(entries);
    }
  }

  /** The scopes that hold at least one key. */
  public List<String> scopes() {
    List<String> names = new ArrayList<>();
    scopes.forEach(
        (name, entries) -> {
          synchronized (entries) {
            if (!entries.isEmpty()) {
              names.add(name);
            }
          }
        });
    return names;
  }

  @Override
  public void close() {}

  /**
   * What {@link #set} did.
   *
   * @param oldValue the value replaced, or {@code null}
   * @param newValue the value stored
   */
  public record SetResult(@Nullable JsonNode oldValue, JsonNode newValue) {}

  /**
   * What {@link #update} did.
   *
   * @param oldValue the value before the ops, or {@code null}
   * @param newValue the value after them
   * @param errors the ops that failed, in order
   */
  public record UpdateResult(
      @Nullable JsonNode oldValue, JsonNode newValue, List<UpdateOpError> errors) {}
}
