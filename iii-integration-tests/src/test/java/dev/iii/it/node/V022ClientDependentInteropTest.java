package dev.iii.it.node;

// PENDING: needs the iii-core v0.22.1 API of branch `client` (Context#metadata(), TriggerRequest,
// TriggerAction, EnqueueResult, IIIClient#trigger, registerTrigger(..., metadata),
// TriggerConfig#metadata(), Trigger#status(), IIIClient#functionInfo / #workerInfo). Written
// against the names in the `client` worktree at the time of writing; once `client` is merged,
// rename this file to V022ClientDependentInteropTest.java, adjust any renamed API, run it.

import static dev.iii.it.node.Interop.WAIT;
import static dev.iii.it.node.Interop.awaitInvoked;
import static dev.iii.it.node.Interop.awaitJavaSees;
import static dev.iii.it.node.Interop.awaitNodeSees;
import static dev.iii.it.node.Interop.failure;
import static dev.iii.it.node.Interop.get;
import static dev.iii.it.node.Interop.uniqueId;
import static dev.iii.it.node.V022.JSON;
import static dev.iii.it.node.V022.SDK;
import static dev.iii.it.node.V022.awaitRoute;
import static dev.iii.it.node.V022.json;
import static dev.iii.it.node.V022.request;
import static dev.iii.it.node.V022.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.Context;
import dev.iii.EnqueueResult;
import dev.iii.IIIException;
import dev.iii.Trigger;
import dev.iii.TriggerAction;
import dev.iii.TriggerConfig;
import dev.iii.TriggerHandler;
import dev.iii.TriggerRequest;
import dev.iii.it.node.Interop.Fixture;
import dev.iii.protocol.FunctionDetail;
import dev.iii.protocol.WorkerDetail;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Java side of the v0.22.1 additions against the official Node SDK 0.22.1 through our engine:
 * metadata both ways (a Node call's metadata in {@link Context#metadata()}, a Java {@link
 * TriggerRequest#withMetadata} call's metadata as the Node handler's second argument, trigger
 * metadata to Java and Node trigger-type providers and to a Java handler at fire), {@link
 * TriggerAction#enqueue} failing with {@code enqueue_error} without a queue provider, refused
 * triggers failing {@link Trigger#status()}, and the typed {@code engine::*::info} helpers
 * describing a Node worker.
 */
class V022ClientDependentInteropTest {

  private static final Map<String, Object> METADATA =
      Map.of("tenant", "acme ✓", "attempt", 2, "tags", List.of("a", "b"));

  private static final Interop.Fixtures fixtures = new Interop.Fixtures("v022-client");

  @AfterAll
  static void closeFixtures() {
    fixtures.close();
  }

  @Test
  void aJavaHandlerSeesTheMetadataOfANodeCall() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("java::meta");
    CompletableFuture<Object> seen = new CompletableFuture<>();
    f.java()
        .registerFunction(
            fn,
            input -> {
              seen.complete(Context.current().metadata());
              return Map.of("ok", true);
            });
    awaitNodeSees(f.node(), fn);

    f.node().result("call", Map.of("function_id", fn, "data", Map.of(), "metadata", METADATA));

    assertThat(get(seen)).isEqualTo(METADATA);
  }

  @Test
  void aJavaHandlerSeesNoMetadataWhenNodeSendsNone() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("java::no-meta");
    CompletableFuture<Map<String, Object>> seen = new CompletableFuture<>();
    f.java()
        .registerFunction(
            fn,
            input -> {
              Map<String, Object> context = new HashMap<>();
              context.put("metadata", Context.current().metadata());
              seen.complete(context);
              return null;
            });
    awaitNodeSees(f.node(), fn);

    f.node().result("call", Map.of("function_id", fn, "data", Map.of()));

    assertThat(get(seen).get("metadata")).isNull();
  }

  @Test
  void aJavaCallsMetadataIsTheNodeHandlersSecondArgument() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::echo-meta");
    f.node().result("register", Map.of("id", fn, "behavior", "echoMeta"));
    awaitJavaSees(f.java(), fn);

    Object result =
        get(f.java().trigger(TriggerRequest.of(fn, Map.of("x", 1)).withMetadata(METADATA)));

    assertThat(((Map<?, ?>) result).get("metadata")).isEqualTo(METADATA);
    assertThat(awaitInvoked(f.node(), fn).path("metadata")).isEqualTo(JSON.valueToTree(METADATA));
  }

  @Test
  void aJavaVoidCallCarriesItsMetadata() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::sink-meta");
    f.node().result("register", Map.of("id", fn, "behavior", "echo"));
    awaitJavaSees(f.java(), fn);

    get(
        f.java()
            .trigger(
                TriggerRequest.of(fn, Map.of("n", 1))
                    .withAction(TriggerAction.VOID)
                    .withMetadata(METADATA)));

    assertThat(awaitInvoked(f.node(), fn).path("metadata")).isEqualTo(JSON.valueToTree(METADATA));
  }

  @Test
  void aJavaProviderSeesTheMetadataOfANodeTrigger() {
    Fixture f = fixtures.get(SDK);
    String type = uniqueId("java-meta-type");
    String target = uniqueId("node::meta-target");
    List<TriggerConfig> registered = new CopyOnWriteArrayList<>();
    f.java()
        .registerTriggerType(
            type,
            "Records triggers",
            new TriggerHandler() {
              @Override
              public void registerTrigger(TriggerConfig config) {
                registered.add(config);
              }

              @Override
              public void unregisterTrigger(TriggerConfig config) {}
            });
    f.node().result("register", Map.of("id", target, "behavior", "echo"));

    String id =
        f.node()
            .result(
                "registerTrigger",
                Map.of(
                    "type",
                    type,
                    "function_id",
                    target,
                    "config",
                    Map.of("k", 1),
                    "metadata",
                    METADATA))
            .path("id")
            .asString();

    await().atMost(WAIT).until(() -> registered.size() == 1);
    assertThat(registered.get(0))
        .isEqualTo(new TriggerConfig(id, target, Map.of("k", 1), METADATA));
  }

  @Test
  void aNodeProviderSeesTheMetadataOfAJavaTrigger() {
    Fixture f = fixtures.get(SDK);
    String type = uniqueId("node-meta-type");
    String target = uniqueId("java::meta-target");
    f.java().registerFunction(target, input -> null);
    f.node().result("registerTriggerType", Map.of("id", type, "description", "Node type"));

    Trigger trigger = f.java().registerTrigger(type, target, Map.of("k", 1), METADATA);

    JsonNode event =
        f.node()
            .awaitEvent(
                e ->
                    "triggerRegistered".equals(e.path("event").asString(""))
                        && type.equals(e.path("trigger_type").asString("")),
                WAIT);
    assertThat(event.path("trigger").path("id").asString()).isEqualTo(trigger.id());
    assertThat(event.path("trigger").path("metadata")).isEqualTo(JSON.valueToTree(METADATA));
  }

  @Test
  void aJavaHandlerGetsTheMetadataOfAnHttpTriggerRegisteredByNode() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("java::http-meta");
    String path = uniquePath("java-meta");
    f.java()
        .registerFunction(
            fn,
            input ->
                Map.of(
                    "status_code",
                    200,
                    "body",
                    Map.of("metadata", String.valueOf(Context.current().metadata()))));
    awaitNodeSees(f.node(), fn);
    f.node()
        .result(
            "registerTrigger",
            Map.of(
                "type",
                "http",
                "function_id",
                fn,
                "config",
                Map.of("api_path", path, "http_method", "GET"),
                "metadata",
                Map.of("route", "meta")));

    HttpResponse<String> response = awaitRoute(request(f.engine().httpUrl(), path).GET().build());

    assertThat(json(response.body()).path("metadata").asString()).isEqualTo("{route=meta}");
  }

  @Test
  void aJavaEnqueueWithoutAQueueProviderFailsWithEnqueueError() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::job");
    f.node().result("register", Map.of("id", fn, "behavior", "echo"));
    awaitJavaSees(f.java(), fn);

    IIIException error =
        failure(
            f.java()
                .trigger(
                    TriggerRequest.of(fn, Map.of()).withAction(TriggerAction.enqueue("orders")),
                    EnqueueResult.class));

    assertThat(error.code()).isEqualTo("enqueue_error");
  }

  @Test
  void aRefusedJavaTriggerFailsItsStatus() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("java::routes");
    String base = uniquePath("java-conflict");
    f.java().registerFunction(fn, input -> Map.of("status_code", 200));
    f.node()
        .result(
            "registerTrigger",
            Map.of(
                "type",
                "http",
                "function_id",
                fn,
                "config",
                Map.of("api_path", base + "/:a", "http_method", "GET")));
    awaitRoute(request(f.engine().httpUrl(), base + "/1").GET().build());

    Trigger conflicting =
        f.java()
            .registerTrigger("http", fn, Map.of("api_path", base + "/:b", "http_method", "GET"));

    IIIException refused = failure(conflicting.status());
    assertThat(refused.code()).isEqualTo("trigger_registration_failed");
    assertThat(refused.getMessage()).contains("conflicts");
  }

  @Test
  void aJavaTriggerRefusedByANodeProviderFailsItsStatus() {
    Fixture f = fixtures.get(SDK);
    String type = uniqueId("node-strict");
    String fn = uniqueId("java::strict-target");
    f.java().registerFunction(fn, input -> null);
    f.node()
        .result(
            "registerTriggerType", Map.of("id", type, "description", "Refuses", "refuse", true));

    Trigger trigger = f.java().registerTrigger(type, fn, Map.of());

    IIIException refused = failure(trigger.status());
    assertThat(refused.getMessage()).contains("refused by " + type);
  }

  @Test
  void typedInfoHelpersDescribeANodeFunctionAndWorker() {
    Fixture f = fixtures.get(SDK);
    String fn = uniqueId("node::typed-info");
    f.node()
        .result(
            "register",
            Map.of(
                "id",
                fn,
                "behavior",
                "echo",
                "description",
                "typed",
                "request_format",
                Map.of("type", "object")));
    awaitJavaSees(f.java(), fn);

    FunctionDetail function = get(f.java().functionInfo(fn));
    assertThat(function.functionId()).isEqualTo(fn);
    assertThat(function.workerName()).isEqualTo("node-v022-client-" + SDK);
    assertThat(function.description()).isEqualTo("typed");
    assertThat(function.requestSchema()).isEqualTo(Map.of("type", "object"));

    WorkerDetail worker = get(f.java().workerInfo("node-v022-client-" + SDK));
    assertThat(worker.worker().id()).isEqualTo(f.nodeWorkerId());
    assertThat(worker.functions()).anySatisfy(s -> assertThat(s.functionId()).isEqualTo(fn));
  }
}
