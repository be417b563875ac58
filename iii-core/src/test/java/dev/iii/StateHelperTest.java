package dev.iii;

import static dev.iii.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.FakeEngine.Conn;
import dev.iii.state.State;
import dev.iii.state.StateSetResult;
import dev.iii.state.StateUpdateResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link State} ({@code iii.state()}) sends the official {@code state::*} calls and reads the
 * official engine's answers ({@code engine/src/workers/state/state.rs}: {@code set}/{@code update}
 * answer {@code {old_value, new_value, errors?}}, {@code get}/{@code delete} the value or nothing,
 * {@code list_groups} {@code {groups}}), so it works against the real engine unchanged.
 */
class StateHelperTest extends ClientTestSupport {

  /** A stored value. */
  public record Item(String name, int n) {}

  private final Set<String> answered = ConcurrentHashMap.newKeySet();

  /**
   * Answers the oldest unanswered call to {@code functionId} with {@code result} (none when {@code
   * null}) and returns the call's input.
   */
  private JsonNode answer(Conn conn, String functionId, @Nullable String result) {
    JsonNode invoke =
        conn.awaitFrame(
            frame ->
                "invokefunction".equals(frame.path("type").asString(""))
                    && functionId.equals(frame.path("function_id").asString(""))
                    && !answered.contains(frame.path("invocation_id").asString("")));
    answered.add(invoke.path("invocation_id").asString());
    ObjectNode reply = FakeEngine.JSON.createObjectNode();
    reply.put("type", "invocationresult");
    reply.set("invocation_id", invoke.get("invocation_id"));
    reply.put("function_id", functionId);
    if (result != null) {
      reply.set("result", json(result));
    }
    conn.send(reply);
    return invoke.get("data");
  }

  @Test
  void setAndGetSendTheOfficialInputsAndReadTheAnswers() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    State state = client.state();

    CompletableFuture<StateSetResult<Item>> set =
        state.set("items", "i1", new Item("a", 1), Item.class);
    assertThat(answer(conn, "state::set", "{'old_value':null,'new_value':{'name':'a','n':1}}"))
        .isEqualTo(json("{'scope':'items','key':'i1','value':{'name':'a','n':1}}"));
    assertThat(set).succeedsWithin(WAIT).isEqualTo(new StateSetResult<>(null, new Item("a", 1)));

    CompletableFuture<@Nullable Item> found = state.get("items", "i1", Item.class);
    assertThat(answer(conn, "state::get", "{'name':'a','n':1}"))
        .isEqualTo(json("{'scope':'items','key':'i1'}"));
    assertThat(found).succeedsWithin(WAIT).isEqualTo(new Item("a", 1));

    // No value: the official engine answers without a result.
    CompletableFuture<@Nullable Item> missing = state.get("items", "nope", Item.class);
    answer(conn, "state::get", null);
    assertThat(missing).succeedsWithin(WAIT).isNull();
  }

  @Test
  void deleteListAndListGroupsReadTheOfficialShapes() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    State state = client.state();

    // state::delete answers the removed value itself, not {old_value}.
    CompletableFuture<@Nullable Item> deleted = state.delete("items", "i1", Item.class);
    assertThat(answer(conn, "state::delete", "{'name':'a','n':1}"))
        .isEqualTo(json("{'scope':'items','key':'i1'}"));
    assertThat(deleted).succeedsWithin(WAIT).isEqualTo(new Item("a", 1));

    CompletableFuture<List<Item>> listed = state.list("items", Item.class);
    assertThat(answer(conn, "state::list", "[{'name':'b','n':2},{'name':'a','n':1}]"))
        .isEqualTo(json("{'scope':'items'}"));
    assertThat(listed).succeedsWithin(WAIT).isEqualTo(List.of(new Item("b", 2), new Item("a", 1)));

    CompletableFuture<List<String>> groups = state.listGroups();
    assertThat(answer(conn, "state::list_groups", "{'groups':['a','b']}")).isEqualTo(json("{}"));
    assertThat(groups).succeedsWithin(WAIT).isEqualTo(List.of("a", "b"));
  }

  @Test
  void updateSendsTheOpsAndReadsTheErrors() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    CompletableFuture<StateUpdateResult<JsonNode>> updated =
        client
            .state()
            .update(
                "carts", "c1", List.of(UpdateOp.increment("n", 2), UpdateOp.merge(Map.of("x", 1))));

    JsonNode input =
        answer(
            conn,
            "state::update",
            "{'old_value':{'n':'s'},'new_value':{'n':'s','x':1},'errors':[{'op_index':0,"
                + "'code':'increment.not_number','message':'not a number'}]}");
    assertThat(input)
        .isEqualTo(
            json(
                "{'scope':'carts','key':'c1','ops':[{'type':'increment','path':'n','by':2},"
                    + "{'type':'merge','value':{'x':1}}]}"));
    assertThat(updated)
        .succeedsWithin(WAIT)
        .isEqualTo(
            new StateUpdateResult<>(
                json("{'n':'s'}"),
                json("{'n':'s','x':1}"),
                List.of(new UpdateOpError(0, "increment.not_number", "not a number", null))));
  }

  @Test
  void aRefusalFailsWithTheEnginesCode() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    CompletableFuture<StateSetResult<JsonNode>> set = client.state().set("s", "k", "big");
    JsonNode invoke = conn.awaitFrame("invokefunction", "function_id", "state::set");
    ObjectNode reply = FakeEngine.JSON.createObjectNode();
    reply.put("type", "invocationresult");
    reply.set("invocation_id", invoke.get("invocation_id"));
    reply.put("function_id", "state::set");
    reply
        .putObject("error")
        .put("code", "VALUE_TOO_LARGE")
        .put("message", "value of 5 bytes exceeds the configured max_value_bytes limit of 4");
    conn.send(reply);

    IIIException error = failure(set);
    assertThat(error.code()).isEqualTo("VALUE_TOO_LARGE");
    assertThat(error.functionId()).isEqualTo("state::set");
  }
}
