package dev.iii;

import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.iii.FakeEngine.Conn;
import dev.iii.internal.EngineConnection;
import dev.iii.internal.ProtocolHandler;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Nothing the engine refuses goes unnoticed: a refused trigger or function fails its status and is
 * logged at WARN; a refused worker ({@code error} frame, worker-level {@code registrationrejected})
 * ends in FAILED with the reason, without a reconnect loop; unknown message types are logged once.
 */
class EngineRefusalTest extends ClientTestSupport {

  @Test
  void aRefusedTriggerFailsItsStatusAndIsLoggedWithTheEnginesReason() {
    III client = client();
    Trigger route =
        client.registerTrigger("http", "api::a", Map.of("api_path", "/a/:x", "http_method", "GET"));
    Trigger other = client.registerTrigger("cron", "jobs::tick", Map.of("expression", "* * * * *"));
    connect(client);
    Conn conn = engine.awaitConnection(0);
    conn.awaitFrame("registertrigger", "id", route.id());

    try (LogCapture log = LogCapture.of(ProtocolHandler.class)) {
      // As v0.22.1 reports a module's refusal (engine/mod.rs, register_trigger).
      conn.send(
          "{\"type\":\"triggerregistrationresult\",\"id\":\""
              + route.id()
              + "\",\"trigger_type\":\"http\",\"function_id\":\"api::a\","
              + "\"error\":{\"code\":\"trigger_registration_failed\","
              + "\"message\":\"Route 'GET /a/:x' conflicts with 'GET /a/:y'\"}}");

      IIIException refused = failure(route.status());
      assertThat(refused.code()).isEqualTo("trigger_registration_failed");
      assertThat(refused.errorMessage()).isEqualTo("Route 'GET /a/:x' conflicts with 'GET /a/:y'");
      assertThat(refused.functionId()).isEqualTo("api::a");
      waiting()
          .untilAsserted(
              () ->
                  assertThat(log.messages(Level.WARN))
                      .anySatisfy(
                          message ->
                              assertThat(message)
                                  .contains(route.id())
                                  .contains("Route 'GET /a/:x' conflicts")));
    }
    assertThat(other.status()).isNotDone();
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
  }

  /**
   * What a worker does to learn whether the engine took its triggers: a call after them. The engine
   * handles a connection's messages in order, so it refuses before it answers, and the client makes
   * the refusal visible before the answer: whoever the answer wakes sees the failed status.
   */
  @Test
  void aRefusalIsInTheStatusBeforeTheAnswerToACallMadeAfterTheTrigger() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    for (int round = 0; round < 50; round++) {
      Trigger trigger =
          client.registerTrigger("cron", "jobs::tick", Map.of("expression", "not cron"));
      engine.answer(
          "engine::probe",
          data -> {
            conn.send(
                "{\"type\":\"triggerregistrationresult\",\"id\":\""
                    + trigger.id()
                    + "\",\"trigger_type\":\"cron\",\"function_id\":\"jobs::tick\","
                    + "\"error\":{\"code\":\"trigger_registration_failed\","
                    + "\"message\":\"Invalid cron expression\"}}");
            return data;
          });

      CompletableFuture<Boolean> refusedWhenAnswered =
          client
              .call("engine::probe", round)
              .thenApply(answer -> trigger.status().isCompletedExceptionally());

      assertThat(refusedWhenAnswered).succeedsWithin(WAIT).isEqualTo(true);
    }
  }

  @Test
  void anUnregisteredTriggersStatusCompletes() {
    III client = connect(client());
    Trigger trigger = client.registerTrigger("cron", "jobs::tick", Map.of("expression", "x"));

    trigger.unregister();

    assertThat(trigger.status()).succeedsWithin(WAIT);
  }

  @Test
  void connectStartsOverAfterARefusal() {
    engine.refuseWith("AUTH_ERROR", "invalid token");
    III client = client();
    assertThat(failure(client.connect()).code()).isEqualTo("AUTH_ERROR");

    engine.acceptAgain();
    assertThat(client.connect()).succeedsWithin(WAIT);

    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(client.fatalError()).isEmpty();
  }

  @Test
  void theErrorFrameIsLoggedAtErrorWithItsReason() {
    engine.refuseWith("AUTH_ERROR", "invalid token");
    III client = client();
    try (LogCapture log = LogCapture.of(EngineConnection.class)) {
      failure(client.connect());

      assertThat(log.messages(Level.ERROR))
          .anySatisfy(message -> assertThat(message).contains("AUTH_ERROR: invalid token"));
    }
  }

  @Test
  void aRejectedFunctionFailsItsStatusAndTheWorkerStaysConnected() {
    III client = client();
    FunctionRef taken = client.registerFunction("orders::get", input -> null);
    FunctionRef free = client.registerFunction("orders::put", input -> null);
    connect(client);
    Conn conn = engine.awaitConnection(0);
    conn.awaitFrame("registerfunction", "id", "orders::get");

    try (LogCapture log = LogCapture.of(ProtocolHandler.class)) {
      // As 0.23 answers a function id another live worker exports (engine/mod.rs, rc.4).
      conn.send(
          "{\"type\":\"registrationrejected\",\"code\":\"FUNCTION_NAMESPACE_CONFLICT\","
              + "\"namespace\":\"default\",\"function_id\":\"orders::get\","
              + "\"owner_worker_id\":\"7f1c0f5e-0000-4000-8000-000000000001\"}");

      IIIException refused = failure(taken.status());
      assertThat(refused.code()).isEqualTo("FUNCTION_NAMESPACE_CONFLICT");
      assertThat(refused.functionId()).isEqualTo("orders::get");
      assertThat(refused.errorMessage()).contains("7f1c0f5e-0000-4000-8000-000000000001");
      waiting()
          .untilAsserted(
              () ->
                  assertThat(log.messages(Level.WARN))
                      .anySatisfy(message -> assertThat(message).contains("orders::get")));
    }
    assertThat(free.status()).isNotDone();
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(client.fatalError()).isEmpty();
  }

  @Test
  void aRejectionNamesTheFunctionWithTheEnginesRegistrationPrefix() {
    III client = client();
    FunctionRef function = client.registerFunction("orders::get", input -> null);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    conn.send(
        "{\"type\":\"registrationrejected\",\"code\":\"FUNCTION_NAMESPACE_CONFLICT\","
            + "\"namespace\":\"default\",\"function_id\":\"tenant-a::orders::get\","
            + "\"owner_worker_id\":\"\"}");

    assertThat(failure(function.status()).code()).isEqualTo("FUNCTION_NAMESPACE_CONFLICT");
  }

  @Test
  void aWorkerLevelRejectionEndsInFailed() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    CompletableFuture<Object> pending = client.call("remote::slow", null);
    conn.awaitFrame("invokefunction", "function_id", "remote::slow");

    // As 0.23 refuses a second live worker of the same name, before it closes the socket.
    conn.send(
        "{\"type\":\"registrationrejected\",\"code\":\"WORKER_NAMESPACE_CONFLICT\","
            + "\"namespace\":\"default\",\"worker_name\":\""
            + WORKER_NAME
            + "\",\"owner_worker_id\":\"7f1c0f5e-0000-4000-8000-000000000002\"}");

    IIIException failed = failure(pending);
    assertThat(failed.code()).isEqualTo("WORKER_NAMESPACE_CONFLICT");
    assertThat(failed.functionId()).isEqualTo("remote::slow");
    waiting().until(() -> client.getConnectionState() == ConnectionState.FAILED);
    assertThat(client.fatalError())
        .get()
        .extracting(IIIException::code)
        .isEqualTo("WORKER_NAMESPACE_CONFLICT");
    assertThat(client.fatalError().orElseThrow().errorMessage()).contains(WORKER_NAME);
    assertThat(conn.closed()).succeedsWithin(WAIT);
    assertThat(engine.connections()).hasSize(1);
  }

  @Test
  void unknownMessageTypesAreLoggedOncePerType() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    try (LogCapture log = LogCapture.of(ProtocolHandler.class)) {
      conn.send("{\"type\":\"somethingnew\",\"x\":1}");
      conn.send("{\"type\":\"somethingnew\",\"x\":2}");
      conn.send("{\"type\":\"othernew\"}");
      conn.send("{\"type\":\"registerfunction\",\"id\":\"not-for-workers\"}");
      conn.settle();

      assertThat(log.messages(Level.WARN))
          .filteredOn(message -> message.contains("Ignoring messages of type"))
          .hasSize(3)
          .anySatisfy(message -> assertThat(message).contains("'somethingnew'"))
          .anySatisfy(message -> assertThat(message).contains("'othernew'"))
          .anySatisfy(message -> assertThat(message).contains("'registerfunction'"));
    }
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
  }
}
