package dev.iii.it.node;

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitInvoked;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.JSON;
import static dev.iii.it.node.V022.SDK;
import static dev.iii.it.node.V022.awaitRoute;
import static dev.iii.it.node.V022.json;
import static dev.iii.it.node.V022.request;
import static dev.iii.it.node.V022.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.it.node.Interop.Fixture;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The v0.22.1 per-invocation and per-trigger {@code metadata} sidecar through our engine, seen by
 * the official Node SDK 0.22.1: metadata given to {@code trigger({..., metadata})}
 * (request/response and void) reaches the target handler as its second argument and never the
 * payload; a trigger registered with {@code metadata} hands it to the trigger type's provider
 * ({@code registerTrigger(cfg)} sees {@code cfg.metadata}), and the engine's own http and cron
 * triggers deliver it to the function at every fire. The Java API side of metadata is in {@code
 * V022ClientDependentInteropTest.java.pending}.
 */
class V022MetadataInteropTest {

  private static final Map<String, Object> METADATA =
      Map.of("tenant", "acme ✓", "attempt", 2, "tags", List.of("a", "b"), "nested", Map.of("k", 1));

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("v022-metadata");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  @Test
  void callMetadataReachesTheHandlerAsItsSecondArgument() {
    Fixture f = fixtures.get(SDK);
    String id = uniqueId("node::echo-meta");
    f.node().result("register", Map.of("id", id, "behavior", "echoMeta"));
    Interop.awaitNodeSees(f.node(), id);

    JsonNode result =
        f.node()
            .result(
                "call", Map.of("function_id", id, "data", Map.of("x", 1), "metadata", METADATA));

    assertThat(result.path("metadata")).isEqualTo(JSON.valueToTree(METADATA));
    // A sidecar: the payload is what the caller sent (plus the engine's caller id), nothing more.
    assertThat(result.path("data").path("x").asInt()).isEqualTo(1);
    assertThat(result.path("data").has("metadata")).isFalse();
  }

  @Test
  void callWithoutMetadataGivesTheHandlerNone() {
    Fixture f = fixtures.get(SDK);
    String id = uniqueId("node::echo-no-meta");
    f.node().result("register", Map.of("id", id, "behavior", "echoMeta"));
    Interop.awaitNodeSees(f.node(), id);

    JsonNode result = f.node().result("call", Map.of("function_id", id, "data", Map.of("x", 1)));

    assertThat(result.path("metadata").isNull()).as("metadata in %s", result).isTrue();
    assertThat(awaitInvoked(f.node(), id).has("metadata")).isFalse();
  }

  @Test
  void nonObjectMetadataIsDeliveredUnchanged() {
    Fixture f = fixtures.get(SDK);
    String id = uniqueId("node::echo-meta-scalar");
    f.node().result("register", Map.of("id", id, "behavior", "echoMeta"));
    Interop.awaitNodeSees(f.node(), id);

    // The wire type is any JSON value (JsonValue in the SDK's types).
    for (Object metadata : List.of("just text", 42, List.of(1, "two"))) {
      JsonNode result =
          f.node()
              .result("call", Map.of("function_id", id, "data", Map.of(), "metadata", metadata));
      assertThat(result.path("metadata"))
          .as("metadata %s", metadata)
          .isEqualTo(JSON.valueToTree(metadata));
    }
  }

  @Test
  void voidCallMetadataReachesTheHandler() {
    Fixture f = fixtures.get(SDK);
    String id = uniqueId("node::sink-meta");
    f.node().result("register", Map.of("id", id, "behavior", "echo"));
    Interop.awaitNodeSees(f.node(), id);

    f.node()
        .result(
            "callVoid", Map.of("function_id", id, "data", Map.of("n", 1), "metadata", METADATA));

    JsonNode invoked = awaitInvoked(f.node(), id);
    assertThat(invoked.path("metadata")).isEqualTo(JSON.valueToTree(METADATA));
  }

  @Test
  void metadataSurvivesARelayThroughAnotherFunction() {
    Fixture f = fixtures.get(SDK);
    // Node relays to a Node function without passing metadata on: only the first hop has it.
    String inner = uniqueId("node::inner-meta");
    String outer = uniqueId("node::outer-meta");
    f.node().result("register", Map.of("id", inner, "behavior", "echoMeta"));
    f.node().result("register", Map.of("id", outer, "behavior", "relay", "target", inner));
    Interop.awaitNodeSees(f.node(), inner, outer);

    JsonNode result =
        f.node()
            .result("call", Map.of("function_id", outer, "data", Map.of(), "metadata", METADATA));

    assertThat(awaitInvoked(f.node(), outer).path("metadata"))
        .isEqualTo(JSON.valueToTree(METADATA));
    assertThat(result.path("metadata").isNull())
        .as("the engine must not copy metadata onto the next call: %s", result)
        .isTrue();
  }

  @Test
  void triggerMetadataReachesTheTriggerTypeProvider() {
    Fixture f = fixtures.get(SDK);
    String type = uniqueId("node-events");
    String target = uniqueId("node::on-event");
    f.node().result("register", Map.of("id", target, "behavior", "echo"));
    f.node().result("registerTriggerType", Map.of("id", type, "description", "Node events"));

    String triggerId =
        f.node()
            .result(
                "registerTrigger",
                Map.of(
                    "type",
                    type,
                    "function_id",
                    target,
                    "config",
                    Map.of("topic", "orders"),
                    "metadata",
                    METADATA))
            .path("id")
            .asString();

    JsonNode registered =
        f.node()
            .awaitEvent(
                e ->
                    "triggerRegistered".equals(e.path("event").asString(""))
                        && type.equals(e.path("trigger_type").asString("")),
                WAIT);
    JsonNode trigger = registered.path("trigger");
    assertThat(trigger.path("id").asString()).isEqualTo(triggerId);
    assertThat(trigger.path("config").path("topic").asString()).isEqualTo("orders");
    assertThat(trigger.path("metadata")).isEqualTo(JSON.valueToTree(METADATA));
  }

  @Test
  void httpTriggerMetadataIsDeliveredAtEveryRequest() {
    Fixture f = fixtures.get(SDK);
    String id = uniqueId("node::http-meta");
    String path = uniquePath("meta");
    f.node().result("register", Map.of("id", id, "behavior", "httpMeta"));
    awaitJavaSees(f.java(), id);
    f.node()
        .result(
            "registerTrigger",
            Map.of(
                "type",
                "http",
                "function_id",
                id,
                "config",
                Map.of("api_path", path, "http_method", "GET"),
                "metadata",
                METADATA));

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> response = awaitRoute(request(f.engine().httpUrl(), path).GET().build());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode body = json(response.body());
      assertThat(body.path("metadata")).as("request %d", i).isEqualTo(JSON.valueToTree(METADATA));
      assertThat(body.path("path").asString()).isEqualTo(path);
    }
  }

  @Test
  void cronTriggerMetadataIsDeliveredAtFire() {
    Fixture f = fixtures.get(SDK);
    String id = uniqueId("node::cron-meta");
    f.node().result("register", Map.of("id", id, "behavior", "echoMeta"));
    Interop.awaitNodeSees(f.node(), id);

    String triggerId =
        f.node()
            .result(
                "registerTrigger",
                Map.of(
                    "type",
                    "cron",
                    "function_id",
                    id,
                    "config",
                    // Every second, so the first fire comes well inside the wait.
                    Map.of("expression", "* * * * * *"),
                    "metadata",
                    METADATA))
            .path("id")
            .asString();
    try {
      JsonNode fired = awaitInvoked(f.node(), id);
      assertThat(fired.path("data").path("trigger").asString()).isEqualTo("cron");
      assertThat(fired.path("metadata")).isEqualTo(JSON.valueToTree(METADATA));
    } finally {
      f.node().result("unregisterTrigger", Map.of("id", triggerId));
    }
  }
}
