package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitInvoked;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.JSON;
import static dev.iii.it.node.V022.SDK;
import static dev.iii.it.node.V022.builtin;
import static dev.iii.it.node.V022.invocations;
import static dev.iii.it.node.V022.syncEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.it.node.Interop.Fixture;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The {@code iii-state} module between the official Node SDK 0.22.1 and the Java client through our
 * engine, the way the SDK's own state tests use it ({@code trigger({function_id: 'state::set',
 * payload: {scope, key, value}})} and {@code registerTrigger({type: 'state', config: {scope,
 * key}})}): the results the SDK sees ({@code {old_value, new_value}}, {@code errors} of a partly
 * failed update, no result for an absent key) and the change events both sides' {@code state}
 * triggers receive.
 */
class StateInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("state");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  private static JsonNode nodeCalls(Fixture f, String functionId, Map<String, ?> payload) {
    return f.node().result("call", Map.of("function_id", functionId, "data", payload));
  }

  /** The whole driver reply of a call, so a test can see {@code undefinedResult}. */
  private static JsonNode nodeCallReply(Fixture f, String functionId, Map<String, ?> payload) {
    return f.node().request("call", Map.of("function_id", functionId, "data", payload));
  }

  private static Map<String, Object> at(String scope, String key) {
    return Map.of("scope", scope, "key", key);
  }

  private static Map<String, Object> set(String scope, String key, Object value) {
    return Map.of("scope", scope, "key", key, "value", value);
  }

  private static Map<String, Object> update(String scope, String key, List<?> ops) {
    return Map.of("scope", scope, "key", key, "ops", ops);
  }

  private static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  /** {@code {old_value, new_value}} with an explicit JSON null for a missing old value. */
  private static JsonNode change(@Nullable Object oldValue, Object newValue) {
    Map<String, @Nullable Object> expected = new LinkedHashMap<>();
    expected.put("old_value", oldValue);
    expected.put("new_value", newValue);
    return tree(expected);
  }

  @Test
  void nodeSetsAndOverwritesWithTheOfficialResults() {
    Fixture f = fixtures.get(SDK);
    String scope = uniqueId("test-scope");
    Map<String, Object> created = Map.of("name", "Test Item", "value", 42);
    Map<String, Object> updated = Map.of("value", 2, "updated", true);

    // state.test.ts: toEqual({ old_value: null, new_value: testData })
    assertThat(nodeCalls(f, "state::set", set(scope, "item", created)))
        .isEqualTo(change(null, created));
    assertThat(nodeCalls(f, "state::set", set(scope, "item", updated)))
        .isEqualTo(change(created, updated));
    assertThat(nodeCalls(f, "state::get", at(scope, "item"))).isEqualTo(tree(updated));
    // What Node stored, Java reads back the same.
    assertThat(get(f.java().call("state::get", at(scope, "item"), JsonNode.class)))
        .isEqualTo(tree(updated));
  }

  @Test
  void anAbsentKeyHasNoResultForTheNodeSdk() {
    Fixture f = fixtures.get(SDK);

    JsonNode reply = nodeCallReply(f, "state::get", at(uniqueId("test-scope"), "non-existent"));

    // state.test.ts: expect(result).toBeUndefined()
    assertThat(reply.path("undefinedResult").asBoolean()).as("reply %s", reply).isTrue();
  }

  @Test
  void nodeDeletesAndGetsTheOldValueBack() {
    Fixture f = fixtures.get(SDK);
    String scope = uniqueId("test-scope");
    nodeCalls(f, "state::set", set(scope, "item", Map.of("test", true)));

    // state::delete answers the value it removed, as is (state.rs delete: Success(value)).
    assertThat(nodeCalls(f, "state::delete", at(scope, "item")))
        .isEqualTo(tree(Map.of("test", true)));
    assertThat(
            nodeCallReply(f, "state::get", at(scope, "item")).path("undefinedResult").asBoolean())
        .isTrue();
    // Deleting what is not there resolves, with no result.
    JsonNode again = nodeCallReply(f, "state::delete", at(scope, "item"));
    assertThat(again.path("ok").asBoolean()).as("reply %s", again).isTrue();
    assertThat(again.path("undefinedResult").asBoolean()).as("reply %s", again).isTrue();
  }

  @Test
  void nodeListsAScopeInInsertionOrderAndItsGroup() {
    Fixture f = fixtures.get(SDK);
    String scope = uniqueId("state");
    List<Map<String, Object>> items =
        List.of(
            Map.of("id", "state-item3", "value", 3),
            Map.of("id", "state-item1", "value", 1),
            Map.of("id", "state-item2", "value", 2));
    for (Map<String, Object> item : items) {
      nodeCalls(f, "state::set", set(scope, (String) item.get("id"), item));
    }

    assertThat(nodeCalls(f, "state::list", Map.of("scope", scope))).isEqualTo(tree(items));
    assertThat(nodeCalls(f, "state::list", Map.of("scope", uniqueId("empty"))))
        .isEqualTo(tree(List.of()));
    JsonNode groups = nodeCalls(f, "state::list_groups", Map.of()).path("groups");
    assertThat(groups.isArray()).as("groups %s", groups).isTrue();
    assertThat(groups.valueStream().map(JsonNode::asString)).contains(scope).isSorted();
  }

  @Test
  void nodeUpdatesWithPartialOpsAppendsAndGetsTheNewValue() {
    Fixture f = fixtures.get(SDK);
    String scope = uniqueId("update-scope");
    nodeCalls(
        f,
        "state::set",
        set(scope, "k", Map.of("count", 0, "name", "initial", "events", List.of(), "t", "hello")));

    JsonNode result =
        nodeCalls(
            f,
            "state::update",
            update(
                scope,
                "k",
                List.of(
                    Map.of("type", "set", "path", "count", "value", 5),
                    Map.of("type", "append", "path", "events", "value", Map.of("kind", "chunk")),
                    Map.of("type", "append", "path", "t", "value", " world"),
                    Map.of("type", "increment", "path", "count", "by", 2))));

    Map<String, Object> expected =
        Map.of(
            "count",
            7,
            "name",
            "initial",
            "events",
            List.of(Map.of("kind", "chunk")),
            "t",
            "hello world");
    // No errors: the field is left out (skip_serializing_if = "Vec::is_empty").
    assertThat(result)
        .isEqualTo(
            change(
                Map.of("count", 0, "name", "initial", "events", List.of(), "t", "hello"),
                expected));
    assertThat(nodeCalls(f, "state::get", at(scope, "k"))).isEqualTo(tree(expected));
  }

  @Test
  void aFailedOpIsReportedToNodeAndTheOthersStillApply() {
    Fixture f = fixtures.get(SDK);
    String scope = uniqueId("update-scope");
    nodeCalls(f, "state::set", set(scope, "k", Map.of("label", "x", "n", 1)));

    JsonNode result =
        nodeCalls(
            f,
            "state::update",
            update(
                scope,
                "k",
                List.of(
                    Map.of("type", "increment", "path", "label", "by", 1),
                    Map.of("type", "merge", "path", List.of("a", "__proto__"), "value", Map.of()),
                    Map.of("type", "decrement", "path", "n", "by", 3))));

    assertThat(result.path("old_value")).isEqualTo(tree(Map.of("label", "x", "n", 1)));
    assertThat(result.path("new_value")).isEqualTo(tree(Map.of("label", "x", "n", -2)));
    JsonNode errors = result.path("errors");
    assertThat(errors).as("errors %s", errors).hasSize(2);
    assertThat(errors.get(0).path("op_index").asInt()).isZero();
    assertThat(errors.get(0).path("code").asString()).isEqualTo("increment.not_number");
    assertThat(errors.get(0).path("message").asString()).isNotBlank();
    assertThat(errors.get(0).path("doc_url").asString())
        .isEqualTo("https://iii.dev/docs/workers/iii-state#error-codes");
    assertThat(errors.get(1).path("op_index").asInt()).isEqualTo(1);
    assertThat(errors.get(1).path("code").asString()).isEqualTo("merge.path.proto_polluted");
  }

  @Test
  void anUpdateOfAnAbsentKeyStartsFromAnEmptyObject() {
    Fixture f = fixtures.get(SDK);
    String scope = uniqueId("update-scope");

    JsonNode result =
        nodeCalls(
            f,
            "state::update",
            update(scope, "fresh", List.of(Map.of("type", "increment", "path", "hits", "by", 1))));

    assertThat(result).isEqualTo(change(null, Map.of("hits", 1)));
  }

  @Test
  void malformedInputIsRefusedToNodeWithTheOfficialError() {
    Fixture f = fixtures.get(SDK);

    JsonNode error =
        f.node()
            .error(
                "call",
                Map.of("function_id", "state::update", "data", Map.of("scope", "s", "key", "k")));

    assertThat(error.path("code").asString())
        .as("error %s", error)
        .isEqualTo("deserialization_error");
    assertThat(error.path("message").asString())
        .contains("Failed to deserialize input for state::update");
  }

  @Test
  void aNodeStateTriggerGetsTheEventsOfJavaWrites() {
    Fixture f = fixtures.get(SDK);
    String scope = uniqueId("test-scope");
    String functionId = uniqueId("node::state-updated");
    f.node().result("register", Map.of("id", functionId, "behavior", "echo"));
    String triggerId =
        f.node()
            .result(
                "registerTrigger",
                Map.of(
                    "type",
                    "state",
                    "function_id",
                    functionId,
                    "config",
                    Map.of("scope", scope, "key", "item")))
            .path("id")
            .asString();
    await("state trigger " + triggerId + " registered")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                builtin(f.node(), "engine::registered-triggers::list", Map.of())
                    .path("registered_triggers")
                    .toString(),
            listed -> listed.contains(triggerId));

    get(f.java().call("state::set", set(scope, "other", Map.of("ignored", true))));
    get(f.java().call("state::set", set(scope, "item", Map.of("name", "Test", "value", 100))));
    JsonNode created = awaitInvoked(f.node(), functionId).path("data");
    // Each write's fan-out runs on its own (as in the official engine): wait for one event before
    // the next write, so that the order of the events is the order of the writes.
    get(f.java().call("state::set", set(scope, "item", Map.of("name", "New", "value", 200))));
    await().atMost(WAIT).until(() -> invocations(f.node(), functionId).size(), size -> size >= 2);
    get(f.java().call("state::delete", at(scope, "item")));
    await().atMost(WAIT).until(() -> invocations(f.node(), functionId).size(), size -> size >= 3);

    Map<String, @Nullable Object> expectedCreated = new LinkedHashMap<>();
    expectedCreated.put("type", "state");
    expectedCreated.put("event_type", "state:created");
    expectedCreated.put("scope", scope);
    expectedCreated.put("key", "item");
    expectedCreated.put("old_value", null);
    expectedCreated.put("new_value", Map.of("name", "Test", "value", 100));
    assertThat(created).isEqualTo(tree(expectedCreated));
    List<JsonNode> events =
        invocations(f.node(), functionId).stream().map(e -> e.path("data")).toList();
    assertThat(events.get(1))
        .isEqualTo(
            tree(
                Map.of(
                    "type",
                    "state",
                    "event_type",
                    "state:updated",
                    "scope",
                    scope,
                    "key",
                    "item",
                    "old_value",
                    Map.of("name", "Test", "value", 100),
                    "new_value",
                    Map.of("name", "New", "value", 200))));
    Map<String, @Nullable Object> expectedDeleted = new LinkedHashMap<>();
    expectedDeleted.put("type", "state");
    expectedDeleted.put("event_type", "state:deleted");
    expectedDeleted.put("scope", scope);
    expectedDeleted.put("key", "item");
    expectedDeleted.put("old_value", Map.of("name", "New", "value", 200));
    expectedDeleted.put("new_value", null);
    assertThat(events.get(2)).isEqualTo(tree(expectedDeleted));
    // The write to another key of the scope did not match the trigger's key.
    syncEvents(f.node());
    assertThat(invocations(f.node(), functionId)).hasSize(3);
  }

  @Test
  void aJavaStateTriggerGetsTheEventsOfNodeWrites() {
    Fixture f = fixtures.get(SDK);
    String scope = uniqueId("orders");
    String functionId = uniqueId("java::on-state");
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    f.java()
        .registerFunction(
            functionId,
            input -> {
              received.add(JSON.valueToTree(input));
              return null;
            });
    f.java().registerTrigger("state", functionId, Map.of("scope", scope));
    // The engine handles a connection's messages in order: the trigger is live once this returns.
    get(f.java().listFunctions());

    nodeCalls(f, "state::set", set(uniqueId("elsewhere"), "o-1", Map.of("status", "new")));
    // Each write's fan-out runs on its own: wait for one event before the next write.
    nodeCalls(f, "state::set", set(scope, "o-1", Map.of("status", "new")));
    await().atMost(WAIT).until(received::size, size -> size >= 1);
    nodeCalls(
        f,
        "state::update",
        update(scope, "o-1", List.of(Map.of("type", "set", "path", "status", "value", "paid"))));
    await().atMost(WAIT).until(received::size, size -> size >= 2);
    Map<String, @Nullable Object> expectedCreated = new LinkedHashMap<>();
    expectedCreated.put("type", "state");
    expectedCreated.put("event_type", "state:created");
    expectedCreated.put("scope", scope);
    expectedCreated.put("key", "o-1");
    expectedCreated.put("old_value", null);
    expectedCreated.put("new_value", Map.of("status", "new"));
    assertThat(received.get(0)).isEqualTo(tree(expectedCreated));
    assertThat(received.get(1))
        .isEqualTo(
            tree(
                Map.of(
                    "type",
                    "state",
                    "event_type",
                    "state:updated",
                    "scope",
                    scope,
                    "key",
                    "o-1",
                    "old_value",
                    Map.of("status", "new"),
                    "new_value",
                    Map.of("status", "paid"))));
    nodeCalls(f, "state::delete", at(scope, "o-1"));
    await().atMost(WAIT).until(received::size, size -> size >= 3);
    assertThat(received.get(2).path("event_type").asString()).isEqualTo("state:deleted");
    // The write to another scope (made first) reached no one: only the watched scope's events.
    assertThat(received).hasSize(3).allMatch(event -> event.path("scope").asString().equals(scope));
  }
}
