package dev.iii.engine.modules.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code file_based} store of the builtin adapter: every queue's messages in one JSON file,
 * {@code <file_path>/queues.json}, written (to a temporary file, then renamed) at most every {@code
 * save_interval_ms} when something changed, and once more on close. As in the official engine,
 * changes since the last save are lost if the process dies; in-flight messages are saved as waiting
 * and delivered again after a restart.
 *
 * <p>Concurrency: saves run on the store's own thread, never on the engine scheduler; {@code dirty}
 * is atomic.
 */
final class QueueStore implements AutoCloseable {

  static final String FILE_NAME = "queues.json";

  private static final Logger log = LoggerFactory.getLogger(QueueStore.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final Supplier<ObjectNode> snapshot;
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "iii-queue-store");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * A store in {@code directory} (created if missing).
   *
   * @param snapshot every queue's messages, keyed by queue
   */
  QueueStore(Path directory, Supplier<ObjectNode> snapshot) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the queue store directory " + directory, e);
    }
    this.file = directory.resolve(FILE_NAME);
    this.snapshot = snapshot;
  }

  /** The saved queues by key, or an empty map when nothing was saved. */
  Map<String, JsonNode> load() {
    if (!Files.exists(file)) {
      return Map.of();
    }
    try {
      JsonNode root = JSON.readTree(Files.readString(file));
      java.util.LinkedHashMap<String, JsonNode> queues = new java.util.LinkedHashMap<>();
      root.path("queues").properties().forEach(e -> queues.put(e.getKey(), e.getValue()));
      log.info("Queue store {}: loaded {} queues", file, queues.size());
      return queues;
    } catch (IOException | RuntimeException e) {
      log.error("Queue store {} cannot be read; starting empty: {}", file, e.toString());
      return Map.of();
    }
  }

  void markDirty() {
    dirty.set(true);
  }

  /** Saves on the store's thread if something changed; called by the engine's timer. */
  void saveIfDirty() {
    if (dirty.get()) {
      writer.execute(this::save);
    }
  }

  private void save() {
    if (!dirty.getAndSet(false)) {
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    root.set("queues", snapshot.get());
    Path temp = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.writeString(temp, root.toString());
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      dirty.set(true);
      log.error("Queue store {} cannot be written: {}", file, e.toString());
    }
  }

  /** Writes what changed and stops the writer. */
  @Override
  public void close() {
    writer.execute(this::save);
    writer.shutdown();
    try {
      if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("Queue store {}: the last save did not finish in 10 s", file);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Nullable Path file() {
    return file;
  }
}
