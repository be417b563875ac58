package dev.iii.engine.kv;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Scopes (the official engine's "index" or "group") of keys in insertion order, each holding a JSON
 * value.
 *
 * <p>A file-based store ({@link #fileBased}) loads its directory when it opens, marks the scopes
 * each write changes, and saves them on its own thread every save interval and once more when it
 * closes (see {@link KvFiles} for the format); callers never wait for the disk. Like the official
 * engine it bounds neither the number of scopes nor of keys: modules bound values where the
 * official engine does ({@code max_value_bytes}).
 *
 * <p>Concurrency: each scope is guarded by its own monitor, so operations on one key are atomic and
 * operations on different scopes run in parallel; values are never mutated in place, so the saver
 * copies a scope's map under its monitor and writes it outside.
 */
public final class KvStore implements AutoCloseable {

  /** The official engine's default save interval (5 s). */
  public static final Duration DEFAULT_SAVE_INTERVAL = Duration.ofMillis(5000);

  /** The official engine's floor for the save interval (100 ms). */
  public static final Duration MIN_SAVE_INTERVAL = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(KvStore.class);

  private final Map<String, Map<String, JsonNode>> scopes = new ConcurrentHashMap<>();
  private final @Nullable Path directory;
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final @Nullable ScheduledExecutorService saver;
  private final Object flushLock = new Object();

  private KvStore(@Nullable Path directory, Duration saveInterval) {
    this.directory = directory;
    if (directory == null) {
      saver = null;
      return;
    }
    KvFiles.load(directory).forEach((scope, entries) -> scopes.put(scope, entries));
    saver =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "iii-kv-saver " + directory.getFileName());
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(saveInterval.toMillis(), MIN_SAVE_INTERVAL.toMillis());
    saver.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** A store that keeps everything in memory (the official {@code in_memory} store method). */
  public static KvStore inMemory() {
    return new KvStore(null, DEFAULT_SAVE_INTERVAL);
  }

  /**
   * A store saved under {@code directory} (the official {@code file_based} store method): what the
   * directory holds is loaded now; changes are saved every {@code saveInterval} (at least {@link
   * #MIN_SAVE_INTERVAL}) and when the store closes.
   *
   * @throws java.io.UncheckedIOException when the directory exists but cannot be read
   */
  public static KvStore fileBased(Path directory, Duration saveInterval) {
    return new KvStore(directory, saveInterval);
  }

  /** Where the store is saved, or {@code null} for an in-memory store. */
  public @Nullable Path directory() {
    return directory;
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
      SetResult result = new SetResult(entries.put(key, value), value);
      changed(scope);
      return result;
    }
  }

  /** Removes a key; returns the value it had, or {@code null}. */
  public @Nullable JsonNode delete(String scope, String key) {
    Map<String, JsonNode> entries = scopes.get(scope);
    if (entries == null) {
      return null;
    }
    synchronized (entries) {
      JsonNode removed = entries.remove(key);
      if (removed != null) {
        changed(scope);
      }
      return removed;
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
      changed(scope);
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

  /**
   * Saves the scopes changed since the last save (file-based stores; nothing otherwise). Runs on
   * the saver thread every save interval; a scope that fails to save is logged and retried next
   * time.
   */
  public void flush() {
    Path dir = directory;
    if (dir == null) {
      return;
    }
    synchronized (flushLock) {
      for (String scope : List.copyOf(dirty)) {
        dirty.remove(scope);
        Map<String, JsonNode> entries = scopes.get(scope);
        Map<String, JsonNode> snapshot;
        if (entries == null) {
          snapshot = Map.of();
        } else {
          synchronized (entries) {
            snapshot = new LinkedHashMap<>(entries);
          }
        }
        try {
          KvFiles.save(dir, scope, snapshot);
        } catch (IOException | RuntimeException e) {
          dirty.add(scope);
          log.error("Failed to save key-value scope {} under {}: {}", scope, dir, e.toString());
        }
      }
    }
  }

  /** Stops the saver and saves what changed since its last run. */
  @Override
  public void close() {
    ScheduledExecutorService current = saver;
    if (current == null) {
      return;
    }
    current.shutdown();
    try {
      if (!current.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("The key-value saver of {} did not stop within 30 s", directory);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }

  private void changed(String scope) {
    if (directory != null) {
      dirty.add(scope);
    }
  }

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
