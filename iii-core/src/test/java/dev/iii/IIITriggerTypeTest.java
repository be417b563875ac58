package dev.iii;

import static dev.iii.FakeEngine.json;
import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.FakeEngine.Conn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Tests of custom trigger types: the engine hands triggers to the client's trigger handler. */
class IIITriggerTypeTest extends ClientTestSupport {

  /** Records what the engine asked for, and on which thread. */
  static final class RecordingHandler implements TriggerHandler {

    final List<TriggerConfig> registered = new CopyOnWriteArrayList<>();
    final List<TriggerConfig> unregistered = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile boolean refuse;

    @Override
    public void registerTrigger(TriggerConfig config) {
      threads.add(Thread.currentThread().getName());
      if (refuse) {
        throw new IllegalArgumentException("bad schedule");
      }
      registered.add(config);
    }

    @Override
    public void unregisterTrigger(TriggerConfig config) {
      threads.add(Thread.currentThread().getName());
      unregistered.add(config);
    }
  }

  private static String registerTrigger(String id, String type, String functionId, String config) {
    return "{\"type\":\"registertrigger\",\"id\":\""
        + id
        + "\",\"trigger_type\":\""
        + type
        + "\",\"function_id\":\""
        + functionId
        + "\",\"config\":"
        + config
        + "}";
  }

  @Test
  void registerTriggerReachesTheHandlerAndIsAcknowledged() {
    III client = client();
    RecordingHandler handler = new RecordingHandler();
    client.registerTriggerType("schedule", "Runs functions on a schedule", handler);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    conn.send(
        registerTrigger("trig-1", "schedule", "jobs::tick", "{\"every\":5,\"tags\":[\"a\"]}"));
    JsonNode result = conn.awaitFrame("triggerregistrationresult", "id", "trig-1");

    assertThat(result)
        .isEqualTo(
            json(
                "{'type':'triggerregistrationresult','id':'trig-1','trigger_type':'schedule',"
                    + "'function_id':'jobs::tick'}"));
    assertThat(handler.registered)
        .containsExactly(
            new TriggerConfig("trig-1", "jobs::tick", Map.of("every", 5, "tags", List.of("a"))));
    assertThat(handler.threads)
        .allSatisfy(name -> assertThat(name).doesNotStartWith("reactor-http"));
    assertThat(handler.threads.get(0)).startsWith("iii-handler");
  }

  @Test
  void unregisterTriggerReachesTheHandlerWithTheSameConfig() {
    III client = client();
    RecordingHandler handler = new RecordingHandler();
    client.registerTriggerType("schedule", "Runs functions on a schedule", handler);
    connect(client);
    Conn conn = engine.awaitConnection(0);
    conn.send(registerTrigger("trig-1", "schedule", "jobs::tick", "{\"every\":5}"));
    conn.awaitFrame("triggerregistrationresult", "id", "trig-1");

    conn.send("{\"type\":\"unregistertrigger\",\"id\":\"trig-1\",\"trigger_type\":\"schedule\"}");

    waiting().until(() -> handler.unregistered.size() == 1);
    assertThat(handler.unregistered).containsExactlyElementsOf(handler.registered);
    assertThat(handler.unregistered.get(0))
        .isEqualTo(new TriggerConfig("trig-1", "jobs::tick", Map.of("every", 5)));
    assertThat(handler.threads).allSatisfy(name -> assertThat(name).startsWith("iii-handler"));
    // No answer is due for an unregistration.
    assertThat(conn.settle())
        .filteredOn(frame -> frame.path("type").asString("").equals("triggerregistrationresult"))
        .hasSize(1);
  }

  @Test
  void unregisterWithoutTypeStillReachesTheHandler() {
    III client = client();
    RecordingHandler handler = new RecordingHandler();
    client.registerTriggerType("schedule", "", handler);
    connect(client);
    Conn conn = engine.awaitConnection(0);
    conn.send(registerTrigger("trig-3", "schedule", "jobs::tick", "{}"));
    conn.awaitFrame("triggerregistrationresult", "id", "trig-3");

    conn.send("{\"type\":\"unregistertrigger\",\"id\":\"trig-3\"}");

    waiting().until(() -> handler.unregistered.size() == 1);
    assertThat(handler.unregistered.get(0).id()).isEqualTo("trig-3");
  }

  @Test
  void theSameTriggerHandedOverAgainIsArmedOnceAndAChangedOneIsReplaced() {
    III client = client();
    RecordingHandler handler = new RecordingHandler();
    client.registerTriggerType("schedule", "", handler);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    conn.send(registerTrigger("trig-4", "schedule", "jobs::tick", "{\"every\":5}"));
    conn.awaitFrame("triggerregistrationresult", "id", "trig-4");
    conn.send(registerTrigger("trig-4", "schedule", "jobs::tick", "{\"every\":5}"));
    conn.settle();
    waiting()
        .until(
            () ->
                conn.received().stream()
                        .filter(
                            f -> f.path("type").asString("").equals("triggerregistrationresult"))
                        .count()
                    == 2);
    assertThat(handler.registered).hasSize(1);
    assertThat(handler.unregistered).isEmpty();

    conn.send(registerTrigger("trig-4", "schedule", "jobs::tick", "{\"every\":7}"));

    waiting().until(() -> handler.registered.size() == 2);
    assertThat(handler.unregistered)
        .containsExactly(new TriggerConfig("trig-4", "jobs::tick", Map.of("every", 5)));
    assertThat(handler.registered.get(1))
        .isEqualTo(new TriggerConfig("trig-4", "jobs::tick", Map.of("every", 7)));
  }

  @Test
  void nullConfigReachesTheHandlerAsNull() {
    III client = client();
    RecordingHandler handler = new RecordingHandler();
    client.registerTriggerType("schedule", "", handler);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    conn.send(registerTrigger("trig-2", "schedule", "jobs::tick", "null"));
    conn.awaitFrame("triggerregistrationresult", "id", "trig-2");

    assertThat(handler.registered).containsExactly(new TriggerConfig("trig-2", "jobs::tick", null));
  }

  @Test
  void refusedTriggerIsReportedAsTriggerRegistrationFailed() {
    III client = client();
    RecordingHandler handler = new RecordingHandler();
    handler.refuse = true;
    client.registerTriggerType("schedule", "Runs functions on a schedule", handler);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    conn.send(registerTrigger("trig-1", "schedule", "jobs::tick", "{}"));
    JsonNode result = conn.awaitFrame("triggerregistrationresult", "id", "trig-1");

    assertThat(result)
        .isEqualTo(
            json(
                "{'type':'triggerregistrationresult','id':'trig-1','trigger_type':'schedule',"
                    + "'function_id':'jobs::tick','error':{'code':'trigger_registration_failed',"
                    + "'message':'bad schedule'}}"));
  }

  @Test
  void unknownTriggerTypeIsReportedAsTriggerTypeNotFound() {
    connect(client());
    Conn conn = engine.awaitConnection(0);

    conn.send(registerTrigger("trig-9", "nope", "jobs::tick", "{}"));
    JsonNode result = conn.awaitFrame("triggerregistrationresult", "id", "trig-9");

    assertThat(result.get("trigger_type").asString()).isEqualTo("nope");
    assertThat(result.get("function_id").asString()).isEqualTo("jobs::tick");
    assertThat(result.get("error").get("code").asString()).isEqualTo("trigger_type_not_found");
    assertThat(result.get("error").get("message").asString()).isNotBlank();
  }

  @Test
  void unregisteredTriggerTypeIsNotFoundAnyMore() {
    III client = client();
    RecordingHandler handler = new RecordingHandler();
    client.registerTriggerType("schedule", "Runs functions on a schedule", handler);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    client.unregisterTriggerType("schedule");
    conn.send(registerTrigger("trig-1", "schedule", "jobs::tick", "{}"));
    JsonNode result = conn.awaitFrame("triggerregistrationresult", "id", "trig-1");

    assertThat(result.get("error").get("code").asString()).isEqualTo("trigger_type_not_found");
    assertThat(handler.registered).isEmpty();
    assertThat(conn.settle())
        .extracting(ClientTestSupport::summary)
        .contains("unregistertriggertype schedule");
  }

  @Test
  void unregisterOfAnUnknownTriggerIsIgnored() {
    III client = client();
    RecordingHandler handler = new RecordingHandler();
    client.registerTriggerType("schedule", "Runs functions on a schedule", handler);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    conn.send("{\"type\":\"unregistertrigger\",\"id\":\"never\",\"trigger_type\":\"schedule\"}");
    // A registration afterwards is handled in order on the same client.
    conn.send(registerTrigger("trig-1", "schedule", "jobs::tick", "{}"));
    conn.awaitFrame("triggerregistrationresult", "id", "trig-1");

    assertThat(handler.unregistered).isEmpty();
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void triggerTypesAreRegisteredAgainAfterReconnect() {
    III client = client();
    client.registerTriggerType("schedule", "Runs functions on a schedule", new RecordingHandler());
    connect(client);
    engine.awaitConnection(0).drop();

    List<JsonNode> frames = engine.awaitConnection(1).settle();

    assertThat(summaries(frames.subList(0, 2)))
        .containsExactly("reattach", "invokefunction engine::workers::register (no reply)");
    assertThat(frames.get(2))
        .isEqualTo(
            json(
                "{'type':'registertriggertype','id':'schedule',"
                    + "'description':'Runs functions on a schedule'}"));
  }
}
