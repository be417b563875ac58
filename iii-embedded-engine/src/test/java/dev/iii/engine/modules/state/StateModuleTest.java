package dev.iii.engine.modules.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.StateConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The state module through a real client: shapes, errors, atomicity, triggers and restarts. */
@Timeout(60)
class StateModuleTest {

  private final List<AutoCloseable> open = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private EmbeddedEngine engine(StateConfig state) {
    EmbeddedEngine engine =
        EmbeddedEngine.builder()
            .config(EngineConfig.development().withState(state))
            .host("127.0.0.1")
            .port(0)
            .httpPort(0)
            .streamPort(0)
            .build()
            .start();
    open.add(engine);
    return engine;
  }

  private III client(EmbeddedEngine engine) throws Exception {
    III client = new III(engine.wsUrl());
    open.add(client);
    client.connect().get();
    return client;
  }

  private static Object call(III client, String id, Object data) throws Exception {
    return client.call(id, data).get();
  }

  @Test
  void functionsAnswerWithTheOfficialShapes() throws Exception {
    III client = client(engine(StateConfig.defaults()));

    assertThat(
            call(client, "state::set", Map.of("scope", "s", "key", "k", "value", Map.of("a", 1))))
        .isEqualTo(mapOfNullable("old_value", null, "new_value", Map.of("a", 1)));
    assertThat(call(client, "state::set", Map.of("scope", "s", "key", "k", "data", 2)))
        .isEqualTo(mapOfNullable("old_value", Map.of("a", 1), "new_value", 2));
    assertThat(call(client, "state::get", Map.of("scope", "s", "key", "k"))).isEqualTo(2);
    assertThat(call(client, "state::get", Map.of("scope", "s", "key", "missing"))).isNull();

    assertThat(
            call(
                client,
                "state::update",
                Map.of(
                    "scope", "s",
                    "key", "u",
                    "ops",
                        List.of(
                            Map.of("type", "increment", "path", "n", "by", 2),
                            Map.of("type", "append", "path", "n", "value", "x")))))
        .isEqualTo(
            mapOfNullable(
                "old_value", null,
                "new_value", Map.of("n", 2),
                "errors",
                    List.of(
                        Map.of(
                            "op_index",
                            1,
                            "code",
                            "append.type_mismatch",
                            "message",
                            "Cannot append at path 'n': target is number, expected array,"
                                + " string, null, or missing field.",
                            "doc_url",
                            "https://iii.dev/docs/workers/iii-state#error-codes"))))
        .satisfies(r -> assertThat(((Map<?, ?>) r).get("old_value")).isNull());
    assertThat(call(client, "state::list", Map.of("scope", "s")))
        .isEqualTo(List.of(2, Map.of("n", 2)));
    assertThat(call(client, "state::list", Map.of("scope", "nothing"))).isEqualTo(List.of());
    call(client, "state::set", Map.of("scope", "a-first", "key", "k", "value", true));
    assertThat(call(client, "state::list_groups", Map.of()))
        .isEqualTo(Map.of("groups", List.of("a-first", "s")));
    assertThat(call(client, "state::delete", Map.of("scope", "s", "key", "k"))).isEqualTo(2);
    assertThat(call(client, "state::delete", Map.of("scope", "s", "key", "k"))).isNull();
  }

  @Test
  void badInputAndOversizedValuesAreRefusedWithTheOfficialCodes() throws Exception {
    III client = client(engine(StateConfig.defaults().withMaxValueBytes(10L)));

    assertThatThrownBy(() -> call(client, "state::get", Map.of("scope", "s")))
        .cause()
        .isInstanceOfSatisfying(
            IIIException.class,
            e -> {
              assertThat(e.code()).isEqualTo("deserialization_error");
              assertThat(e.getMessage())
                  .contains("Failed to deserialize input for state::get: missing field `key`");
            });
    assertThatThrownBy(
            () ->
                call(
                    client,
                    "state::update",
                    Map.of("scope", "s", "key", "k", "ops", List.of(Map.of("type", "nope")))))
        .cause()
        .isInstanceOfSatisfying(
            IIIException.class, e -> assertThat(e.getMessage()).contains("unknown variant `nope`"));
    assertThatThrownBy(
            () ->
                call(client, "state::set", Map.of("scope", "s", "key", "k", "value", "0123456789")))
        .cause()
        .isInstanceOfSatisfying(
            IIIException.class,
            e -> {
              assertThat(e.code()).isEqualTo("VALUE_TOO_LARGE");
              assertThat(e.getMessage())
                  .contains("value of 12 bytes exceeds the configured max_value_bytes limit of 10");
            });
    assertThat(call(client, "state::get", Map.of("scope", "s", "key", "k"))).isNull();
  }

  @Test
  void concurrentUpdatesFromManyCallersGiveTheExactTotal() throws Exception {
    III client = client(engine(StateConfig.defaults()));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        calls.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    client
                        .call(
                            "state::update",
                            Map.of(
                                "scope",
                                "c",
                                "key",
                                "n",
                                "ops",
                                List.of(Map.of("type", "increment", "path", "", "by", 1))))
                        .join();
                  }
                },
                pool));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
    } finally {
      pool.shutdown();
    }
    assertThat(call(client, "state::get", Map.of("scope", "c", "key", "n"))).isEqualTo(800);
  }

  @Test
  void triggersFireOncePerChangeWithTheOfficialPayload() throws Exception {
    III client = client(engine(StateConfig.defaults()));
    List<Object> events = new CopyOnWriteArrayList<>();
    client.registerFunction(
        "test::on-order",
        input -> {
          events.add(input);
          return null;
        });
    client.registerFunction(
        "test::failing",
        input -> {
          throw new IllegalStateException("boom");
        });
    client.registerTrigger(
        "state",
        "test::failing",
        Map.of("scope", "orders")); // ordered before the calls below on this connection
    client.registerTrigger(
        "state",
        "test::on-order",
        Map.of("scope", "orders")); // ordered before the calls below on this connection

    call(client, "state::set", Map.of("scope", "orders", "key", "o1", "value", 1));
    call(client, "state::set", Map.of("scope", "other", "key", "o1", "value", 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
    call(
        client,
        "state::update",
        Map.of(
            "scope",
            "orders",
            "key",
            "o1",
            "ops",
            List.of(Map.of("type", "increment", "path", "", "by", 1))));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    call(client, "state::delete", Map.of("scope", "orders", "key", "o1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);
    call(client, "state::set", Map.of("scope", "orders", "key", "marker", "value", 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 4);

    assertThat(events.subList(0, 3))
        .containsExactly(
            event("state:created", null, 1),
            event("state:updated", 1, 2),
            event("state:deleted", 2, null));
    assertThat(new ArrayList<Object>(((Map<?, ?>) events.get(0)).keySet()))
        .containsExactly("type", "event_type", "scope", "key", "old_value", "new_value");
  }

  @Test
  void triggersEnabledFalseSilencesTriggersButNotWrites() throws Exception {
    III client = client(engine(StateConfig.defaults().withTriggersEnabled(false)));
    List<Object> events = new CopyOnWriteArrayList<>();
    client.registerFunction(
        "test::never",
        input -> {
          events.add(input);
          return null;
        });
    client.registerTrigger(
        "state",
        "test::never",
        Map.of("scope", "s")); // ordered before the calls below on this connection
    call(client, "state::set", Map.of("scope", "s", "key", "k", "value", 1));
    assertThat(call(client, "state::get", Map.of("scope", "s", "key", "k"))).isEqualTo(1);
    assertThat(events).isEmpty();
  }

  @Test
  void aFileBasedStoreSurvivesAnEngineRestart() throws Exception {
    StateConfig config = StateConfig.defaults().withFileStore(dir, Duration.ofHours(1));
    EmbeddedEngine first = engine(config);
    III client = client(first);
    call(client, "state::set", Map.of("scope", "orders", "key", "o1", "value", Map.of("total", 3)));
    client.shutdown().get();
    first.close();

    III again = client(engine(config));
    assertThat(call(again, "state::get", Map.of("scope", "orders", "key", "o1")))
        .isEqualTo(Map.of("total", 3));
  }

  private static Map<String, Object> event(String type, Object oldValue, Object newValue) {
    return mapOfNullable(
        "type",
        "state",
        "event_type",
        type,
        "scope",
        "orders",
        "key",
        "o1",
        "old_value",
        oldValue,
        "new_value",
        newValue);
  }

  private static Map<String, Object> mapOfNullable(Object... pairs) {
    Map<String, Object> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
