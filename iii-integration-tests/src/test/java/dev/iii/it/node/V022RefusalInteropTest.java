package dev.iii.it.node;

import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.SDK;
import static dev.iii.it.node.V022.awaitLog;
import static dev.iii.it.node.V022.awaitRoute;
import static dev.iii.it.node.V022.request;
import static dev.iii.it.node.V022.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.TriggerConfig;
import dev.iii.TriggerHandler;
import dev.iii.it.node.Interop.Fixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What our engine refuses, as the official Node SDK 0.22.1 sees it: {@code TriggerAction.Enqueue}
 * without a queue provider fails with the official {@code enqueue_error}; a trigger the engine or a
 * provider refuses (an http route that conflicts with another, an http trigger without {@code
 * api_path}, a bad cron expression, a Java provider that throws) comes back to the registering
 * worker as {@code triggerregistrationresult} with the error, which the SDK reports as {@code [iii]
 * Trigger registration failed for "<id>" (<type>): <message>} ({@code iii.ts} {@code
 * onTriggerRegistrationResult}; the driver turns that console line into a {@code log} event).
 */
class V022RefusalInteropTest {

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("v022-refusals");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  /** The SDK's console line for a refused trigger (iii.ts onTriggerRegistrationResult). */
  private static String refusal(Fixture f, String triggerId, String type) {
    String prefix = "[iii] Trigger registration failed for \"" + triggerId + "\" (" + type + "): ";
    return awaitLog(f.node(), line -> line.startsWith(prefix)).substring(prefix.length());
  }

  private static String registerTrigger(
      Fixture f, String type, String functionId, Map<String, ?> config) {
    return f.node()
        .result(
            "registerTrigger", Map.of("type", type, "function_id", functionId, "config", config))
        .path("id")
        .asString();
  }

  @Test
  void enqueueWithoutAQueueProviderFailsWithEnqueueError() {
    Fixture f = fixtures.get(SDK);
    String target = uniqueId("java::job");
    f.java().registerFunction(target, input -> Map.of("ran", true));
    awaitNodeSees(f.node(), target);

    JsonNode error =
        f.node()
            .error(
                "enqueue",
                Map.of("function_id", target, "data", Map.of("n", 1), "queue", "orders"));

    assertThat(error.path("name").asString()).isEqualTo("InvocationError");
    assertThat(error.path("code").asString()).isEqualTo("enqueue_error");
  }

  @Test
  void aConflictingHttpRouteIsReportedAndTheFirstRouteKeepsServing() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::routes");
    String base = uniquePath("conflict");
    f.node().result("register", Map.of("id", fn, "behavior", "httpHello", "message", "first"));
    awaitJavaSees(f.java(), fn);

    registerTrigger(f, "http", fn, Map.of("api_path", base + "/:a", "http_method", "GET"));
    HttpResponse<String> served =
        awaitRoute(request(f.engine().httpUrl(), base + "/1").GET().build());
    assertThat(served.statusCode()).isEqualTo(200);

    // Same structure, another parameter name: the official engine refuses it (api_core.rs).
    String second =
        registerTrigger(f, "http", fn, Map.of("api_path", base + "/:b", "http_method", "GET"));

    assertThat(refusal(f, second, "http")).contains("conflicts");
    assertThat(V022.send(request(f.engine().httpUrl(), base + "/2").GET().build()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void anHttpTriggerWithoutApiPathIsReported() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::no-path");
    f.node().result("register", Map.of("id", fn, "behavior", "httpHello"));

    String id = registerTrigger(f, "http", fn, Map.of("http_method", "GET"));

    assertThat(refusal(f, id, "http")).contains("api_path");
  }

  @Test
  void aBadCronExpressionIsReported() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::cron-bad");
    f.node().result("register", Map.of("id", fn, "behavior", "echo"));

    String id = registerTrigger(f, "cron", fn, Map.of("expression", "every full moon"));

    assertThat(refusal(f, id, "cron")).contains("Invalid cron expression");
  }

  @Test
  void aRefusalByAJavaProviderIsForwardedToTheNodeWorkerThatRegistered() {
    Fixture f = fixtures.get(SDK);
    String type = uniqueId("java-strict");
    String fn = uniqueId("node::strict-target");
    f.java()
        .registerTriggerType(
            type,
            "Refuses every trigger",
            new TriggerHandler() {
              @Override
              public void registerTrigger(TriggerConfig config) {
                throw new IllegalArgumentException("topic 'x' is not allowed");
              }

              @Override
              public void unregisterTrigger(TriggerConfig config) {}
            });
    f.node().result("register", Map.of("id", fn, "behavior", "echo"));

    // The engine parks the provider's refusal and forwards it to the originator (engine/mod.rs).
    String id = registerTrigger(f, type, fn, Map.of("topic", "x"));

    assertThat(refusal(f, id, type)).contains("topic 'x' is not allowed");
  }
}
