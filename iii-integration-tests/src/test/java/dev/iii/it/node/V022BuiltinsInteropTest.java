package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.JSON;
import static dev.iii.it.node.V022.SDK;
import static dev.iii.it.node.V022.builtin;
import static dev.iii.it.node.V022.uniquePath;
import static dev.iii.it.node.V022BasicsInteropTest.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.TriggerConfig;
import dev.iii.TriggerHandler;
import dev.iii.it.node.Interop.Fixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The engine built-ins the official Node SDK 0.22.1 names in {@code EngineFunctions}
 * (iii-constants.ts), called from the SDK against our engine, with the v0.22.1 output shapes
 * ({@code engine/src/workers/engine_fn/mod.rs}: FunctionSummary, FunctionDetail, WorkerSummary,
 * WorkerInfoOutput, TriggerTypeSummary, RegisteredTriggerSummary): {@code engine::functions::list}
 * and {@code ::info}, {@code engine::workers::list} and {@code ::info}, {@code
 * engine::triggers::list} (trigger <em>types</em> now) and {@code
 * engine::registered-triggers::list} (the instances). The SDK declares no types for these results,
 * so the engine structs are the contract.
 */
class V022BuiltinsInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("v022-builtins");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  private static String nodeName() {
    return "node-v022-builtins-" + SDK;
  }

  private static String javaName() {
    return "java-v022-builtins";
  }

  private static List<String> ids(JsonNode rows, String key) {
    return StreamSupport.stream(rows.spliterator(), false)
        .map(row -> row.path(key).asString(""))
        .toList();
  }

  @Test
  void functionsListRowsAreSummariesWithTheOwnersName() {
    Fixture f = fixtures.get(SDK);
    String nodeFn = uniqueId("node::listed");
    String javaFn = uniqueId("java::listed");
    f.node()
        .result(
            "register",
            Map.of(
                "id",
                nodeFn,
                "behavior",
                "echo",
                "description",
                "listed ✓",
                "metadata",
                Map.of("team", "n"),
                "request_format",
                Map.of("type", "object")));
    f.java().registerFunction(javaFn, input -> input);
    awaitNodeSees(f.node(), nodeFn, javaFn);

    JsonNode functions = builtin(f.node(), "engine::functions::list", Map.of()).path("functions");

    JsonNode node = find(functions, "function_id", nodeFn);
    assertThat(node.path("worker_name").asString()).isEqualTo(nodeName());
    assertThat(node.path("description").asString()).isEqualTo("listed ✓");
    assertThat(node.path("metadata")).isEqualTo(JSON.valueToTree(Map.of("team", "n")));
    // v0.22.1 moved the formats to engine::functions::info; our rows are the superset, so SDKs of
    // the v0.9 era still find them here (the issue asks for the superset where shapes differ).
    assertThat(node.path("request_format")).isEqualTo(JSON.valueToTree(Map.of("type", "object")));
    assertThat(find(functions, "function_id", javaFn).path("worker_name").asString())
        .isEqualTo(javaName());
    // Engine-internal functions are hidden unless asked for; the list is sorted.
    List<String> listed = ids(functions, "function_id");
    assertThat(listed).noneMatch(id -> id.startsWith("engine::"));
    assertThat(listed).isSorted();
    assertThat(
            ids(
                builtin(f.node(), "engine::functions::list", Map.of("include_internal", true))
                    .path("functions"),
                "function_id"))
        .contains("engine::functions::list");
  }

  @Test
  void functionsInfoDescribesOneFunctionWithSchemasAndTriggers() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::described");
    String path = uniquePath("info");
    Map<String, Object> requestFormat =
        Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string")));
    Map<String, Object> responseFormat = Map.of("type", "string");
    f.node()
        .result(
            "register",
            Map.of(
                "id",
                fn,
                "behavior",
                "httpHello",
                "description",
                "Says hello",
                "metadata",
                Map.of("v", 2),
                "request_format",
                requestFormat,
                "response_format",
                responseFormat));
    awaitJavaSees(f.java(), fn);
    String triggerId =
        f.node()
            .result(
                "registerTrigger",
                Map.of(
                    "type",
                    "http",
                    "function_id",
                    fn,
                    "config",
                    Map.of("api_path", path, "http_method", "GET")))
            .path("id")
            .asString();

    JsonNode detail =
        await("the trigger listed in the function's detail")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> builtin(f.node(), "engine::functions::info", Map.of("function_id", fn)),
                d -> d.path("registered_triggers").size() == 1);

    assertThat(detail.path("function_id").asString()).isEqualTo(fn);
    assertThat(detail.path("worker_name").asString()).isEqualTo(nodeName());
    assertThat(detail.path("description").asString()).isEqualTo("Says hello");
    assertThat(detail.path("request_schema")).isEqualTo(JSON.valueToTree(requestFormat));
    assertThat(detail.path("response_schema")).isEqualTo(JSON.valueToTree(responseFormat));
    assertThat(detail.path("metadata")).isEqualTo(JSON.valueToTree(Map.of("v", 2)));
    JsonNode trigger = detail.path("registered_triggers").get(0);
    assertThat(trigger.path("id").asString()).isEqualTo(triggerId);
    assertThat(trigger.path("trigger_type").asString()).isEqualTo("http");
    assertThat(trigger.path("config").path("api_path").asString()).isEqualTo(path);
  }

  @Test
  void functionsInfoOfAnUnknownFunctionIsNotFound() {
    Fixture f = fixtures.get(SDK);
    JsonNode error =
        f.node()
            .error(
                "call",
                Map.of(
                    "function_id",
                    "engine::functions::info",
                    "data",
                    Map.of("function_id", uniqueId("nobody::here"))));
    assertThat(error.path("code").asString()).as("error %s", error).isEqualTo("NOT_FOUND");
  }

  @Test
  void workersListRowsAreWorkerSummaries() {
    Fixture f = fixtures.get(SDK);
    String nodeFn = uniqueId("node::counted");
    f.node().result("register", Map.of("id", nodeFn, "behavior", "echo"));
    awaitJavaSees(f.java(), nodeFn);

    // The SDK reports its metadata (engine::workers::register) fire-and-forget after connecting.
    JsonNode node =
        await("the Node worker listed with its metadata")
            // Until its metadata arrives v0.22.1 hides a WS worker (no pid yet): find() throws.
            .ignoreExceptions()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    find(
                        builtin(f.node(), "engine::workers::list", Map.of()).path("workers"),
                        "id",
                        f.nodeWorkerId()),
                w -> "node".equals(w.path("runtime").asString("")));

    assertThat(node.path("name").asString()).isEqualTo(nodeName());
    assertThat(node.path("version").asString()).isEqualTo(SDK);
    assertThat(node.path("status").isString()).isTrue();
    assertThat(node.path("function_count").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(node.path("connected_at_ms").isIntegralNumber()).as("row %s", node).isTrue();
    assertThat(node.path("active_invocations").isIntegralNumber()).as("row %s", node).isTrue();
    assertThat(node.has("description")).as("row %s", node).isTrue();
    assertThat(node.has("isolation")).as("row %s", node).isTrue();
    // v0.22.1 moved these to engine::workers::info; the superset row keeps them for v0.9-era SDKs.
    assertThat(node.path("functions").isArray()).as("row %s", node).isTrue();
    assertThat(node.has("latest_metrics")).as("row %s", node).isTrue();

    JsonNode java =
        find(
            builtin(f.node(), "engine::workers::list", Map.of()).path("workers"),
            "id",
            f.javaWorkerId());
    assertThat(java.path("runtime").asString()).isEqualTo("java");
    assertThat(java.path("name").asString()).isEqualTo(javaName());
  }

  @Test
  void workersInfoShowsOneWorkersWholeSurface() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::surface");
    String type = uniqueId("node-surface-type");
    String path = uniquePath("surface");
    f.node().result("register", Map.of("id", fn, "behavior", "httpHello"));
    f.node().result("registerTriggerType", Map.of("id", type, "description", "Surface type"));
    awaitJavaSees(f.java(), fn);
    String triggerId =
        f.node()
            .result(
                "registerTrigger",
                Map.of(
                    "type",
                    "http",
                    "function_id",
                    fn,
                    "config",
                    Map.of("api_path", path, "http_method", "GET")))
            .path("id")
            .asString();

    JsonNode info =
        await("the worker's trigger listed in its info")
            // NOT_FOUND until the worker's name has arrived with its metadata.
            .ignoreExceptions()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> builtin(f.node(), "engine::workers::info", Map.of("name", nodeName())),
                i -> ids(i.path("registered_triggers"), "id").contains(triggerId));

    JsonNode worker = info.path("worker");
    assertThat(worker.path("id").asString()).isEqualTo(f.nodeWorkerId());
    assertThat(worker.path("name").asString()).isEqualTo(nodeName());
    assertThat(worker.path("runtime").asString()).isEqualTo("node");
    assertThat(worker.path("internal").isBoolean()).as("worker %s", worker).isTrue();
    assertThat(worker.path("internal").asBoolean()).isFalse();
    assertThat(worker.path("pid").isIntegralNumber()).as("worker %s", worker).isTrue();
    assertThat(worker.path("connected_at_ms").isIntegralNumber()).isTrue();
    JsonNode function = find(info.path("functions"), "function_id", fn);
    assertThat(function.path("worker_name").asString()).isEqualTo(nodeName());
    JsonNode triggerType = find(info.path("trigger_types"), "id", type);
    assertThat(triggerType.path("worker_name").asString()).isEqualTo(nodeName());
    assertThat(triggerType.path("description").asString()).isEqualTo("Surface type");
    JsonNode trigger = find(info.path("registered_triggers"), "id", triggerId);
    assertThat(trigger.path("function_id").asString()).isEqualTo(fn);
    assertThat(trigger.path("config_summary").isString()).isTrue();

    JsonNode error =
        f.node()
            .error(
                "call",
                Map.of(
                    "function_id",
                    "engine::workers::info",
                    "data",
                    Map.of("name", uniqueId("nobody"))));
    assertThat(error.path("code").asString()).as("error %s", error).isEqualTo("NOT_FOUND");
  }

  @Test
  void triggersListListsTriggerTypes() {
    Fixture f = fixtures.get(SDK);
    String nodeType = uniqueId("node-type");
    String javaType = uniqueId("java-type");
    f.node().result("registerTriggerType", Map.of("id", nodeType, "description", "From Node"));
    f.java()
        .registerTriggerType(
            javaType,
            "From Java",
            new TriggerHandler() {
              @Override
              public void registerTrigger(TriggerConfig config) {}

              @Override
              public void unregisterTrigger(TriggerConfig config) {}
            });

    JsonNode triggers =
        await("both trigger types listed")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> builtin(f.node(), "engine::triggers::list", Map.of()).path("triggers"),
                t -> ids(t, "id").containsAll(List.of(nodeType, javaType)));

    JsonNode node = find(triggers, "id", nodeType);
    assertThat(node.path("worker_name").asString()).isEqualTo(nodeName());
    assertThat(node.path("description").asString()).isEqualTo("From Node");
    JsonNode java = find(triggers, "id", javaType);
    assertThat(java.path("worker_name").asString()).isEqualTo(javaName());
    assertThat(java.path("description").asString()).isEqualTo("From Java");
    // The engine's own types are types too; rows are types, not instances.
    JsonNode http = find(triggers, "id", "http");
    assertThat(http.path("worker_name").isString()).isTrue();
    assertThat(http.path("description").isString()).isTrue();
    assertThat(triggers).allSatisfy(row -> assertThat(row.has("function_id")).isFalse());
    assertThat(ids(triggers, "id")).noneMatch(id -> id.startsWith("engine::")).isSorted();
  }

  @Test
  void registeredTriggersListListsTheInstances() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::instance");
    String path = uniquePath("instance");
    f.node().result("register", Map.of("id", fn, "behavior", "httpHello"));
    awaitJavaSees(f.java(), fn);
    Map<String, Object> config = Map.of("api_path", path, "http_method", "GET");
    String triggerId =
        f.node()
            .result("registerTrigger", Map.of("type", "http", "function_id", fn, "config", config))
            .path("id")
            .asString();

    JsonNode rows =
        await("the trigger listed")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    builtin(f.node(), "engine::registered-triggers::list", Map.of())
                        .path("registered_triggers"),
                r -> ids(r, "id").contains(triggerId));

    JsonNode row = find(rows, "id", triggerId);
    assertThat(row.path("trigger_type").asString()).isEqualTo("http");
    assertThat(row.path("function_id").asString()).isEqualTo(fn);
    assertThat(row.path("worker_name").asString()).isEqualTo(nodeName());
    assertThat(row.path("config")).isEqualTo(JSON.valueToTree(config));
    assertThat(row.path("config_summary").isString()).isTrue();
    // Filters of the official input.
    JsonNode byFunction =
        builtin(f.node(), "engine::registered-triggers::list", Map.of("function_id", fn))
            .path("registered_triggers");
    assertThat(ids(byFunction, "id")).containsExactly(triggerId);
  }
}
