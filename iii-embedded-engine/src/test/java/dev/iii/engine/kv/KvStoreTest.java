package dev.iii.engine.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@link KvStore}: atomic updates under contention, and the file-based store across restarts. */
class KvStoreTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @TempDir Path dir;

  @Test
  void concurrentIncrementsFromManyThreadsGiveTheExactTotal() throws Exception {
    try (KvStore store = KvStore.inMemory()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 1000; i++) {
                    store.update("counters", "hits", List.of(UpdateOp.increment("n", 1)));
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
      pool.shutdown();
      assertThat(store.get("counters", "hits").get("n").asLong()).isEqualTo(8000);
    }
  }

  @Test
  void dataSurvivesARestartAndEmptiedScopesLoseTheirFile() {
    try (KvStore store = KvStore.fileBased(dir, Duration.ofHours(1))) {
      store.set("orders", "o1", NODES.objectNode().put("total", 3));
      store.set("orders", "o2", NODES.objectNode().put("total", 4));
      store.set("weird/scope ü", "k", NODES.stringNode("v"));
      store.set("gone", "k", NODES.numberNode(1));
      store.delete("gone", "k");
      store.update("orders", "o1", List.of(UpdateOp.increment("total", 1)));
    }
    assertThat(dir.resolve("gone.json")).doesNotExist();

    try (KvStore reopened = KvStore.fileBased(dir, Duration.ofHours(1))) {
      assertThat(reopened.entries("orders").keySet()).containsExactly("o1", "o2");
      assertThat(reopened.get("orders", "o1").get("total").asInt()).isEqualTo(4);
      assertThat(reopened.get("weird/scope ü", "k").stringValue()).isEqualTo("v");
      assertThat(reopened.scopes()).containsExactlyInAnyOrder("orders", "weird/scope ü");
    }
  }

  @Test
  void changesAreSavedOnTheIntervalWithoutClosing() throws Exception {
    try (KvStore store = KvStore.fileBased(dir, KvStore.MIN_SAVE_INTERVAL)) {
      store.set("s", "k", NODES.stringNode("v"));
      Path file = dir.resolve("s.json");
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
      assertThat(Files.readString(file)).isEqualTo("{\"k\":\"v\"}");
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("s.json");
      }
    }
  }

  @Test
  void unreadableFilesAreSkipped() throws Exception {
    Files.writeString(dir.resolve("broken.json"), "{not json");
    Files.writeString(dir.resolve("ok.json"), "{\"a\":1}");
    try (KvStore store = KvStore.fileBased(dir, Duration.ofHours(1))) {
      assertThat(store.scopes()).containsExactly("ok");
    }
  }
}
