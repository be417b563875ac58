package dev.iii;

import static dev.iii.FakeEngine.json;
import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.FakeEngine.Conn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Engine restarts (D7): the worker that provides a function comes back a little after the caller,
 * so the engine answers {@code function_not_found} in between. A call queued while disconnected, or
 * sent within {@link InitOptions#reconnectGrace()} after a reconnect, is sent again until the
 * function is there, the grace ends or the call's own timeout expires; on a stable connection an
 * unknown function fails at once.
 */
class ReconnectGraceTest extends ClientTestSupport {

  private static final String NOT_FOUND = IIIException.FUNCTION_NOT_FOUND;

  /** The client is connected, then the engine goes away; it is RECONNECTING. */
  private Conn outage(III client) {
    connect(client);
    Conn first = engine.awaitConnection(0);
    engine.stopListening();
    first.drop();
    waiting().until(() -> client.getConnectionState() == ConnectionState.RECONNECTING);
    return first;
  }

  private static long invocations(Conn conn, String functionId) {
    return conn.received().stream()
        .filter(frame -> frame.path("type").asString("").equals("invokefunction"))
        .filter(frame -> frame.path("function_id").asString("").equals(functionId))
        .count();
  }

  private void notFound(String functionId) {
    engine.answerError(functionId, NOT_FOUND, "Function " + functionId + " not found");
  }

  @Test
  void aCallQueuedDuringAnOutageIsResentUntilTheFunctionIsRegisteredAgain() {
    III client = client();
    outage(client);
    notFound("remote::x");
    CompletableFuture<Object> x = client.call("remote::x", Map.of("n", 21));

    engine.resumeListening();
    Conn second = engine.awaitConnection(1);
    // The engine said function_not_found (the worker has not come back yet): sent again.
    waiting().until(() -> invocations(second, "remote::x") >= 2);
    assertThat(x).isNotDone();

    engine.answer("remote::x", data -> json("{'doubled':" + data.get("n").asInt() * 2 + "}"));
    assertThat(x).succeedsWithin(WAIT).isEqualTo(Map.of("doubled", 42));
    // Sent again as it was: same invocation id, same data.
    List<JsonNode> sent =
        second.received().stream()
            .filter(frame -> frame.path("function_id").asString("").equals("remote::x"))
            .toList();
    assertThat(sent).allSatisfy(frame -> assertThat(frame).isEqualTo(sent.get(0)));
  }

  @Test
  void aCallQueuedBeforeTheFirstConnectIsResentToo() {
    III client = client();
    notFound("remote::x");
    CompletableFuture<Object> x = client.call("remote::x", null);
    client.connect();

    Conn conn = engine.awaitConnection(0);
    waiting().until(() -> invocations(conn, "remote::x") >= 2);
    assertThat(x).isNotDone();

    engine.answer("remote::x", data -> json("{'ok':true}"));
    assertThat(x).succeedsWithin(WAIT).isEqualTo(Map.of("ok", true));
  }

  @Test
  void aCallMadeJustAfterAReconnectIsResent() {
    III client = client();
    outage(client);
    engine.resumeListening();
    Conn second = engine.awaitConnection(1);
    waiting().until(() -> client.getConnectionState() == ConnectionState.CONNECTED);

    notFound("remote::x");
    CompletableFuture<Object> x = client.call("remote::x", null);
    waiting().until(() -> invocations(second, "remote::x") >= 2);
    assertThat(x).isNotDone();

    engine.answer("remote::x", data -> json("{'ok':true}"));
    assertThat(x).succeedsWithin(WAIT).isEqualTo(Map.of("ok", true));
  }

  @Test
  void onAStableConnectionAnUnknownFunctionFailsAtOnce() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    notFound("remote::missing");

    IIIException failure = failure(client.call("remote::missing", null));

    assertThat(failure.code()).isEqualTo(NOT_FOUND);
    assertThat(failure.functionId()).isEqualTo("remote::missing");
    conn.settle();
    assertThat(invocations(conn, "remote::missing")).isEqualTo(1);
  }

  @Test
  void withNoGraceACallAfterAReconnectFailsAtOnce() {
    III client = client(options -> options.reconnectGrace(Duration.ZERO));
    outage(client);
    engine.resumeListening();
    Conn second = engine.awaitConnection(1);
    waiting().until(() -> client.getConnectionState() == ConnectionState.CONNECTED);
    notFound("remote::missing");

    assertThat(failure(client.call("remote::missing", null)).code()).isEqualTo(NOT_FOUND);
    second.settle();
    assertThat(invocations(second, "remote::missing")).isEqualTo(1);
  }

  @Test
  void theGraceBoundsTheWaitForAFunctionThatNeverComes() {
    III client = client(options -> options.reconnectGrace(Duration.ofSeconds(3)));
    outage(client);
    notFound("remote::never");
    CompletableFuture<Object> never = client.call("remote::never", null, Duration.ofMinutes(5));

    engine.resumeListening();
    Conn second = engine.awaitConnection(1);
    waiting().until(() -> invocations(second, "remote::never") >= 2);

    IIIException failure = failure(never);
    assertThat(failure.code()).isEqualTo(NOT_FOUND);
    assertThat(failure.functionId()).isEqualTo("remote::never");
    assertThat(failure.getMessage()).contains("remote::never").contains("re-sent");
    long sent = invocations(second, "remote::never");
    await("nothing is re-sent after the call ended")
        .during(Duration.ofMillis(600))
        .atMost(WAIT)
        .until(() -> invocations(second, "remote::never") == sent);
  }

  @Test
  void theCallsOwnTimeoutBoundsTheWait() {
    III client = client(options -> options.reconnectGrace(Duration.ofHours(1)));
    outage(client);
    notFound("remote::never");
    CompletableFuture<Object> never = client.call("remote::never", null, Duration.ofSeconds(2));

    engine.resumeListening();
    Conn second = engine.awaitConnection(1);
    waiting().until(() -> invocations(second, "remote::never") >= 2);

    IIIException failure = failure(never);
    // Waiting to be sent again when the time ran out: the engine's answer. Sent again and not
    // answered in time: a timeout, caused by that answer.
    if (failure.code().equals(IIIException.TIMEOUT)) {
      assertThat(failure.getCause()).isInstanceOf(IIIException.class);
      assertThat(((IIIException) failure.getCause()).code()).isEqualTo(NOT_FOUND);
    } else {
      assertThat(failure.code()).isEqualTo(NOT_FOUND);
    }
    assertThat(failure.functionId()).isEqualTo("remote::never");
  }

  @Test
  void otherErrorsAreNotResent() {
    III client = client();
    outage(client);
    engine.answerError("remote::x", IIIException.INVOCATION_FAILED, "boom");
    CompletableFuture<Object> x = client.call("remote::x", null);

    engine.resumeListening();
    assertThat(failure(x).code()).isEqualTo(IIIException.INVOCATION_FAILED);
    Conn second = engine.awaitConnection(1);
    second.settle();
    assertThat(invocations(second, "remote::x")).isEqualTo(1);
  }

  @Test
  void aCallToItsOwnFunctionAfterAReconnectFollowsTheReRegistration() {
    III client = client();
    client.registerFunction("self::echo", input -> input);
    outage(client);
    CompletableFuture<Object> echoed = client.call("self::echo", "hello");

    engine.resumeListening();
    Conn second = engine.awaitConnection(1);
    JsonNode invoke = second.awaitFrame("invokefunction", "function_id", "self::echo");
    List<String> frames = summaries(second.receivedWithoutPongs());
    assertThat(frames).contains("registerfunction self::echo");
    assertThat(frames.indexOf("registerfunction self::echo"))
        .isLessThan(frames.indexOf("invokefunction self::echo"));

    // The engine routes it back to this worker.
    second.send(
        json(
            "{'type':'invokefunction','invocation_id':'"
                + invoke.get("invocation_id").asString()
                + "','function_id':'self::echo','data':'hello'}"));
    JsonNode result =
        second.awaitFrame(
            "invocationresult", "invocation_id", invoke.get("invocation_id").asString());
    second.send(result);
    assertThat(echoed).succeedsWithin(WAIT).isEqualTo("hello");
  }
}
