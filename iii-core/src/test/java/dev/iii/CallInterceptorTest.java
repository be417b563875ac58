package dev.iii;

import static dev.iii.FakeEngine.json;
import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.FakeEngine.Conn;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Tests of {@link CallInterceptor} and of the trace context handlers see in {@link Context}. */
class CallInterceptorTest extends ClientTestSupport {

  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  /** Every completion, in order; {@code Optional.empty()} for success. */
  private final List<Optional<Throwable>> completions = new CopyOnWriteArrayList<>();

  private final List<String> intercepted = new CopyOnWriteArrayList<>();

  private final CallInterceptor tracing =
      (functionId, carrier) -> {
        intercepted.add(functionId);
        carrier.put(CallInterceptor.TRACEPARENT, TRACEPARENT);
        carrier.put(CallInterceptor.BAGGAGE, "tenant=acme");
        return error -> completions.add(Optional.ofNullable(error));
      };

  @Test
  void theInterceptorsTraceContextIsSentWithTheCall() {
    engine.answer("math::echo", data -> data);
    III client = connect(client(options -> options.callInterceptor(tracing)));

    assertThat(client.call("math::echo", Map.of("a", 1))).succeedsWithin(WAIT);

    JsonNode frame = engine.current().awaitFrame("invokefunction", "function_id", "math::echo");
    assertThat(frame.path("traceparent").asString()).isEqualTo(TRACEPARENT);
    assertThat(frame.path("baggage").asString()).isEqualTo("tenant=acme");
    assertThat(intercepted).containsExactly("math::echo");
    // The completion runs before the caller's future completes.
    assertThat(completions).containsExactly(Optional.empty());
  }

  @Test
  void withoutAnInterceptorNoTraceContextIsSent() {
    engine.answer("math::echo", data -> data);
    III client = connect(client());

    assertThat(client.call("math::echo", 1)).succeedsWithin(WAIT);

    JsonNode frame = engine.current().awaitFrame("invokefunction", "function_id", "math::echo");
    assertThat(frame.has("traceparent")).isFalse();
    assertThat(frame.has("baggage")).isFalse();
  }

  @Test
  void theCompletionGetsTheErrorOfAFailedCall() {
    engine.answerError("orders::create", "invalid_argument", "no items");
    III client = connect(client(options -> options.callInterceptor(tracing)));

    IIIException failure = failure(client.call("orders::create", Map.of()));

    assertThat(failure.code()).isEqualTo("invalid_argument");
    assertThat(completions).hasSize(1);
    assertThat(completions.get(0)).containsSame(failure);
  }

  @Test
  void theCompletionGetsTheTimeout() {
    III client = connect(client(options -> options.callInterceptor(tracing)));

    IIIException failure = failure(client.call("never::answers", null, Duration.ofMillis(100)));

    assertThat(failure.code()).isEqualTo(IIIException.TIMEOUT);
    assertThat(completions).hasSize(1);
    assertThat(completions.get(0)).containsSame(failure);
  }

  @Test
  void theCompletionGetsTheLossOfTheConnection() {
    III client = connect(client(options -> options.callInterceptor(tracing)));
    var future = client.call("never::answers", null);
    Conn conn = engine.current();
    conn.awaitFrame("invokefunction", "function_id", "never::answers");

    conn.drop();

    IIIException failure = failure(future);
    assertThat(failure.code()).isEqualTo(IIIException.CONNECTION_LOST);
    assertThat(completions).hasSize(1);
    assertThat(completions.get(0)).containsSame(failure);
  }

  @Test
  void fireAndForgetCallsCarryTheTraceContextAndCompleteWhenSent() {
    III client = connect(client(options -> options.callInterceptor(tracing)));

    client.callVoid("audit::log", Map.of("event", "x"));

    JsonNode frame = engine.current().awaitFrame("invokefunction", "function_id", "audit::log");
    assertThat(frame.path("traceparent").asString()).isEqualTo(TRACEPARENT);
    assertThat(frame.has("invocation_id")).isFalse();
    waiting().untilAsserted(() -> assertThat(completions).containsExactly(Optional.empty()));
  }

  @Test
  void aFailingInterceptorDoesNotBreakTheCall() {
    engine.answer("math::echo", data -> data);
    CallInterceptor broken =
        (functionId, carrier) -> {
          throw new IllegalStateException("broken");
        };
    III client = connect(client(options -> options.callInterceptor(broken)));

    assertThat(client.call("math::echo", 7, Integer.class)).succeedsWithin(WAIT).isEqualTo(7);
  }

  @Test
  void composedInterceptorsBothRun() {
    engine.answer("math::echo", data -> data);
    List<String> order = new CopyOnWriteArrayList<>();
    CallInterceptor first =
        (functionId, carrier) -> {
          order.add("first");
          carrier.put(CallInterceptor.TRACEPARENT, TRACEPARENT);
          return error -> order.add("first done");
        };
    CallInterceptor second =
        (functionId, carrier) -> {
          order.add("second sees " + carrier.get(CallInterceptor.TRACEPARENT));
          return error -> order.add("second done");
        };
    III client =
        connect(client(options -> options.callInterceptor(first).addCallInterceptor(second)));

    assertThat(client.call("math::echo", 1)).succeedsWithin(WAIT);

    assertThat(order)
        .containsExactly("first", "second sees " + TRACEPARENT, "second done", "first done");
  }

  @Test
  void handlersSeeTheCallersTraceContext() {
    III client = client();
    client.registerFunction(
        "trace::echo",
        input -> {
          Context context = Context.current();
          Map<String, Object> seen = new HashMap<>();
          seen.put("traceparent", context.traceparent());
          seen.put("baggage", context.baggage());
          seen.put("function", context.functionId());
          return seen;
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);

    ObjectNode invoke = (ObjectNode) json("{'type':'invokefunction','function_id':'trace::echo'}");
    String invocationId = UUID.randomUUID().toString();
    invoke.put("invocation_id", invocationId);
    invoke.putNull("data");
    invoke.put("traceparent", TRACEPARENT);
    invoke.put("baggage", "tenant=acme");
    conn.send(invoke);
    JsonNode result = conn.awaitFrame("invocationresult", "invocation_id", invocationId);

    assertThat(result.path("result").path("traceparent").asString()).isEqualTo(TRACEPARENT);
    assertThat(result.path("result").path("baggage").asString()).isEqualTo("tenant=acme");
    assertThat(result.path("result").path("function").asString()).isEqualTo("trace::echo");
  }

  @Test
  void handlersWithoutTraceContextSeeNone() {
    III client = client();
    client.registerFunction(
        "trace::none",
        input -> Context.current().traceparent() == null && Context.current().baggage() == null);
    connect(client);

    JsonNode result = engine.awaitConnection(0).call("trace::none", null);

    assertThat(result.path("result").asBoolean()).isTrue();
  }
}
