package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.InitOptions;
import dev.iii.UpdateOp;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.engine.config.EngineConfig;
import dev.iii.engine.config.StateConfig;
import dev.iii.state.State;
import dev.iii.state.StateEvent;
import dev.iii.state.StateEventType;
import dev.iii.state.StateSetResult;
import dev.iii.state.StateUpdateResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link State}, the typed state helper of iii-core ({@code iii.state()}), against the engine. */
class StateClientTest extends EngineTestSupport {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A stored value. */
  public record User(String name, int age) {}

  @Test
  void setGetListAndDeleteAreTyped() throws Exception {
    State state = connected("state-client").state();

    StateSetResult<User> created = get(state.set("users", "u1", new User("Ada", 36), User.class));
    assertThat(created).isEqualTo(new StateSetResult<>(null, new User("Ada", 36)));
    assertThat(created.created()).isTrue();
    StateSetResult<User> replaced = get(state.set("users", "u1", new User("Ada", 37), User.class));
    assertThat(replaced).isEqualTo(new StateSetResult<>(new User("Ada", 36), new User("Ada", 37)));
    assertThat(replaced.created()).isFalse();
    get(state.set("users", "u0", Map.of("name", "Bob", "age", 5)));

    assertThat(get(state.get("users", "u1", User.class))).isEqualTo(new User("Ada", 37));
    assertThat(get(state.get("users", "missing", User.class))).isNull();
    // In the order the keys were created.
    assertThat(get(state.list("users", User.class)))
        .containsExactly(new User("Ada", 37), new User("Bob", 5));
    assertThat(get(state.list("nobody", User.class))).isEmpty();
    get(state.set("accounts", "a", 1));
    assertThat(get(state.listGroups())).containsExactly("accounts", "users");

    assertThat(get(state.delete("users", "u0", User.class))).isEqualTo(new User("Bob", 5));
    assertThat(get(state.delete("users", "u0", User.class))).isNull();
    assertThat(get(state.delete("users", "u1"))).isNull();
    assertThat(get(state.list("users", User.class))).isEmpty();
  }

  @Test
  void updateAppliesEveryOpKindAndReportsTheFailedOnes() throws Exception {
    State state = connected("state-update").state();
    get(state.set("carts", "c1", Map.of("items", List.of("a"), "total", 10, "note", "hi")));

    StateUpdateResult<JsonNode> result =
        get(
            state.update(
                "carts",
                "c1",
                List.of(
                    UpdateOp.append("items", "b"),
                    UpdateOp.increment("total", 5),
                    UpdateOp.decrement("total", 2),
                    UpdateOp.increment("note", 1),
                    UpdateOp.append("note", " there"),
                    UpdateOp.merge(List.of("meta", "owner"), Map.of("id", 7)),
                    UpdateOp.merge(Map.of("currency", "EUR")),
                    UpdateOp.set("status", "open"),
                    UpdateOp.remove("gone"))));

    assertThat(result.newValue())
        .isEqualTo(
            JSON.valueToTree(
                Map.of(
                    "items",
                    List.of("a", "b"),
                    "total",
                    13,
                    "note",
                    "hi there",
                    "meta",
                    Map.of("owner", Map.of("id", 7)),
                    "currency",
                    "EUR",
                    "status",
                    "open")));
    assertThat(result.oldValue())
        .isEqualTo(JSON.valueToTree(Map.of("items", List.of("a"), "total", 10, "note", "hi")));
    assertThat(result.succeeded()).isFalse();
    assertThat(result.errors()).hasSize(1);
    assertThat(result.errors().get(0).opIndex()).isEqualTo(3);
    assertThat(result.errors().get(0).code()).isEqualTo("increment.not_number");
    assertThat(result.errors().get(0).docUrl())
        .isEqualTo("https://iii.dev/docs/workers/iii-state#error-codes");

    StateUpdateResult<User> fresh =
        get(
            state.update(
                "users",
                "new",
                List.of(UpdateOp.set("name", "Cy"), UpdateOp.increment("age", 3)),
                User.class));
    assertThat(fresh).isEqualTo(new StateUpdateResult<>(null, new User("Cy", 3), List.of()));
  }

  @Test
  void aStateTriggerHandlerGetsTypedEvents() throws Exception {
    III iii = connected("state-trigger");
    List<StateEvent> events = new CopyOnWriteArrayList<>();
    iii.registerFunction(
        "state-client::on-change",
        StateEvent.class,
        event -> {
          events.add(event);
          return null;
        });
    iii.registerTrigger("state", "state-client::on-change", Map.of("scope", "watched"));
    // Messages of a connection are handled in order: the trigger stands once this returns.
    get(iii.listFunctions());

    get(iii.state().set("watched", "k", Map.of("v", 1)));
    await().atMost(WAIT).until(events::size, size -> size == 1);
    get(iii.state().delete("watched", "k"));
    await().atMost(WAIT).until(events::size, size -> size == 2);

    assertThat(events.get(0))
        .isEqualTo(
            new StateEvent(
                "state",
                StateEventType.CREATED,
                "watched",
                "k",
                null,
                JSON.valueToTree(Map.of("v", 1))));
    assertThat(events.get(1))
        .isEqualTo(
            new StateEvent(
                "state",
                StateEventType.DELETED,
                "watched",
                "k",
                JSON.valueToTree(Map.of("v", 1)),
                null));
  }

  @Test
  void aValueOverTheLimitFailsWithTheOfficialCode() throws Exception {
    try (EmbeddedEngine limited =
            EmbeddedEngine.builder()
                .config(
                    EngineConfig.development()
                        .withState(StateConfig.defaults().withMaxValueBytes(10L)))
                .host("127.0.0.1")
                .port(0)
                .httpPort(0)
                .streamPort(0)
                .build()
                .start();
        III iii =
            new III(limited.wsUrl(), InitOptions.builder().workerName("state-limit").build())) {
      get(iii.connect());

      IIIException error = failure(iii.state().set("s", "k", "0123456789abcdef"));

      assertThat(error.code()).isEqualTo("VALUE_TOO_LARGE");
      assertThat(error.functionId()).isEqualTo("state::set");
      assertThat(get(iii.state().get("s", "k", String.class))).isNull();
    }
  }
}
