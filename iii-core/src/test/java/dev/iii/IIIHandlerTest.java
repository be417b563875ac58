package dev.iii;

import static dev.iii.FakeEngine.json;
import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.FakeEngine.Conn;
import dev.iii.internal.DaemonThreads;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Tests of how the client runs its functions for the engine and answers invocations. */
class IIIHandlerTest extends ClientTestSupport {

  private final ExecutorService single =
      Executors.newSingleThreadExecutor(new DaemonThreads("test-handler"));

  @AfterEach
  void stopExecutor() {
    single.shutdownNow();
  }

  @Test
  void handlerResultIsSentBackWithTheFunctionId() {
    III client = client();
    client.registerFunction(
        "math::add",
        input -> {
          Map<?, ?> in = (Map<?, ?>) input;
          return Map.of(
              "sum", ((Number) in.get("a")).intValue() + ((Number) in.get("b")).intValue());
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);

    String id = conn.invoke("math::add", json("{'a':1,'b':2}"));
    JsonNode result = conn.awaitFrame("invocationresult", "invocation_id", id);

    assertThat(result)
        .isEqualTo(
            json(
                "{'type':'invocationresult','invocation_id':'"
                    + id
                    + "','function_id':'math::add','result':{'sum':3}}"));
  }

  @Test
  void handlersRunOnTheHandlerExecutorNotOnNetworkThreads() {
    III client = client();
    List<String> threads = new CopyOnWriteArrayList<>();
    client.registerFunction(
        "who",
        input -> {
          threads.add(Thread.currentThread().getName());
          return Thread.currentThread().getName();
        });
    connect(client);

    JsonNode result = engine.awaitConnection(0).call("who", null);

    assertThat(threads).hasSize(1);
    assertThat(threads.get(0)).startsWith("iii-handler").doesNotStartWith("reactor-http");
    assertThat(result.get("result").asString()).isEqualTo(threads.get(0));
  }

  @Test
  void handlersRunOnTheGivenExecutor() {
    III client = client(options -> options.handlerExecutor(single));
    client.registerFunction("who", input -> Thread.currentThread().getName());
    connect(client);

    JsonNode result = engine.awaitConnection(0).call("who", null);

    assertThat(result.get("result").asString()).startsWith("test-handler");
  }

  @Test
  void nullResultIsSentWithoutResultOrError() {
    III client = client();
    client.registerFunction("nothing", input -> null);
    connect(client);

    JsonNode result = engine.awaitConnection(0).call("nothing", json("{'x':1}"));

    assertThat(result.get("function_id").asString()).isEqualTo("nothing");
    assertThat(result.has("error")).isFalse();
    assertThat(result.path("result").isMissingNode() || result.path("result").isNull()).isTrue();
  }

  @Test
  void completionStageResultIsAwaited() {
    III client = client();
    CompletableFuture<Object> later = new CompletableFuture<>();
    client.registerFunction("later", input -> later);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    String id = conn.invoke("later", null);
    conn.settle();
    assertThat(conn.received())
        .noneMatch(frame -> id.equals(frame.path("invocation_id").asString(null)));
    later.complete(List.of("done"));

    JsonNode result = conn.awaitFrame("invocationresult", "invocation_id", id);
    assertThat(result.get("result")).isEqualTo(json("['done']"));
  }

  @Test
  void failedCompletionStageBecomesInvocationFailed() {
    III client = client();
    client.registerFunction(
        "broken", input -> CompletableFuture.failedFuture(new IllegalStateException("async boom")));
    connect(client);

    JsonNode result = engine.awaitConnection(0).call("broken", null);

    assertThat(result.get("error").get("code").asString()).isEqualTo("invocation_failed");
    assertThat(result.get("error").get("message").asString()).isEqualTo("async boom");
  }

  @Test
  void monoResultIsAwaited() {
    III client = client();
    client.registerFunction("mono", input -> Mono.just(Map.of("from", "mono")));
    client.registerFunction("emptyMono", input -> Mono.empty());
    client.registerFunction("failedMono", input -> Mono.error(new IllegalArgumentException("no")));
    connect(client);
    Conn conn = engine.awaitConnection(0);

    assertThat(conn.call("mono", null).get("result")).isEqualTo(json("{'from':'mono'}"));
    JsonNode empty = conn.call("emptyMono", null);
    assertThat(empty.has("error")).isFalse();
    assertThat(empty.path("result").isMissingNode() || empty.path("result").isNull()).isTrue();
    JsonNode failed = conn.call("failedMono", null);
    assertThat(failed.get("error").get("code").asString()).isEqualTo("invocation_failed");
    assertThat(failed.get("error").get("message").asString()).isEqualTo("no");
  }

  @Test
  void thrownExceptionBecomesInvocationFailed() {
    III client = client();
    client.registerFunction(
        "boom",
        input -> {
          throw new IllegalStateException("it went wrong");
        });
    connect(client);

    String id = engine.awaitConnection(0).invoke("boom", null);
    JsonNode result = engine.awaitConnection(0).awaitFrame("invocationresult", "invocation_id", id);

    assertThat(result.get("type").asString()).isEqualTo("invocationresult");
    assertThat(result.get("invocation_id").asString()).isEqualTo(id);
    assertThat(result.get("function_id").asString()).isEqualTo("boom");
    assertThat(result.has("result")).isFalse();
    JsonNode error = result.get("error");
    assertThat(error.get("code").asString()).isEqualTo("invocation_failed");
    assertThat(error.get("message").asString()).isEqualTo("it went wrong");
    assertThat(error.path("stacktrace").asString(""))
        .contains("IllegalStateException", "it went wrong");
  }

  @Test
  void exceptionWithoutMessageIsNamedByItsClass() {
    III client = client();
    client.registerFunction(
        "boom",
        input -> {
          throw new UnsupportedOperationException();
        });
    connect(client);

    JsonNode error = engine.awaitConnection(0).call("boom", null).get("error");

    assertThat(error.get("code").asString()).isEqualTo("invocation_failed");
    assertThat(error.get("message").asString())
        .isEqualTo("java.lang.UnsupportedOperationException");
  }

  @Test
  void thrownIIIExceptionKeepsItsCode() {
    III client = client();
    client.registerFunction(
        "strict",
        input -> {
          throw new IIIException("validation_failed", "name is required");
        });
    client.registerFunction(
        "strictAsync",
        input -> CompletableFuture.failedFuture(new IIIException("not_allowed", "go away")));
    connect(client);
    Conn conn = engine.awaitConnection(0);

    JsonNode error = conn.call("strict", null).get("error");
    assertThat(error.get("code").asString()).isEqualTo("validation_failed");
    assertThat(error.get("message").asString()).isEqualTo("name is required");

    JsonNode asyncError = conn.call("strictAsync", null).get("error");
    assertThat(asyncError.get("code").asString()).isEqualTo("not_allowed");
    assertThat(asyncError.get("message").asString()).isEqualTo("go away");
  }

  @Test
  void unwritableResultBecomesInvocationFailed() {
    III client = client();
    client.registerFunction("weird", input -> new Unwritable());
    connect(client);

    JsonNode error = engine.awaitConnection(0).call("weird", null).get("error");

    assertThat(error.get("code").asString()).isEqualTo("invocation_failed");
    assertThat(error.get("message").asString()).contains("cannot be written as JSON");
  }

  @Test
  void unknownFunctionGetsFunctionNotFound() {
    connect(client());
    Conn conn = engine.awaitConnection(0);

    String id = conn.invoke("nobody::here", json("{'x':1}"));
    JsonNode result = conn.awaitFrame("invocationresult", "invocation_id", id);

    ObjectNode expected = FakeEngine.JSON.createObjectNode();
    expected.put("type", "invocationresult");
    expected.put("invocation_id", id);
    expected.put("function_id", "nobody::here");
    expected
        .putObject("error")
        .put("code", "function_not_found")
        .put("message", "Function 'nobody::here' not found");
    assertThat(result).isEqualTo(expected);
  }

  @Test
  void unregisteredFunctionIsNotFound() {
    III client = client();
    FunctionRef ref = client.registerFunction("gone", input -> "here");
    connect(client);
    Conn conn = engine.awaitConnection(0);
    assertThat(conn.call("gone", null).get("result").asString()).isEqualTo("here");

    ref.unregister();

    JsonNode error = conn.call("gone", null).get("error");
    assertThat(error.get("code").asString()).isEqualTo("function_not_found");
  }

  @Test
  void fireAndForgetInvocationsGetNoReply() throws Exception {
    // One handler thread: a reply to the first invocation would be sent before the second runs.
    III client = client(options -> options.handlerExecutor(single));
    CountDownLatch ran = new CountDownLatch(2);
    client.registerFunction(
        "work",
        input -> {
          ran.countDown();
          return "done";
        });
    client.registerFunction(
        "fail",
        input -> {
          ran.countDown();
          throw new IllegalStateException("ignored");
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);
    conn.settle();

    conn.send("{\"type\":\"invokefunction\",\"function_id\":\"work\",\"data\":1}");
    conn.send("{\"type\":\"invokefunction\",\"function_id\":\"fail\",\"data\":null}");
    conn.send("{\"type\":\"invokefunction\",\"function_id\":\"nobody\",\"data\":null}");
    JsonNode barrier = conn.call("work", null);

    assertThat(ran.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    List<JsonNode> results =
        conn.settle().stream()
            .filter(frame -> frame.path("type").asString("").equals("invocationresult"))
            .toList();
    assertThat(results).containsExactly(barrier);
  }

  @Test
  void anAnswerForADroppedConnectionIsNotSentOnTheNextOne() throws Exception {
    III client = client();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch answered = new CountDownLatch(1);
    client.registerFunction(
        "slow",
        input -> {
          started.countDown();
          release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
          answered.countDown();
          return "late";
        });
    connect(client);
    Conn first = engine.awaitConnection(0);
    first.send(
        "{\"type\":\"invokefunction\",\"invocation_id\":\"11111111-2222-3333-4444-555555555555\","
            + "\"function_id\":\"slow\",\"data\":null}");
    assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    first.drop();
    Conn second = engine.awaitConnection(1);
    waiting().until(() -> client.getConnectionState() == ConnectionState.CONNECTED);
    release.countDown();
    assertThat(answered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    // The handler's answer belongs to the first connection's engine session: it is dropped.
    client.registerFunction("quick", input -> "now");
    JsonNode barrier = second.call("quick", null);
    assertThat(second.settle())
        .filteredOn(frame -> frame.path("type").asString("").equals("invocationresult"))
        .containsExactly(barrier);
  }

  @Test
  void contextIsCurrentInsideTheHandler() {
    III client = client();
    client.registerFunction(
        "ctx",
        input -> {
          Context context = Context.current();
          ObjectNode out = FakeEngine.JSON.createObjectNode();
          out.put("function_id", context.functionId());
          out.put("invocation_id", context.invocationId());
          out.put("logger_function_id", context.logger().functionId());
          return out;
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);

    String id = conn.invoke("ctx", null);
    JsonNode result = conn.awaitFrame("invocationresult", "invocation_id", id).get("result");

    assertThat(result)
        .isEqualTo(
            json("{'function_id':'ctx','invocation_id':'" + id + "','logger_function_id':'ctx'}"));
    assertThat(Context.current().functionId()).isNull();
  }

  @Test
  void typedHandlerGetsItsInputType() {
    III client = client();
    client.registerFunction(
        "greet", Person.class, person -> "hello " + person.name() + " (" + person.age() + ")");
    connect(client);
    Conn conn = engine.awaitConnection(0);

    assertThat(conn.call("greet", json("{'name':'Ada','age':36}")).get("result").asString())
        .isEqualTo("hello Ada (36)");
    JsonNode bad = conn.call("greet", json("{'name':'Ada','age':'old'}"));
    assertThat(bad.get("error").get("code").asString()).isEqualTo("invocation_failed");
  }

  @Test
  void handlersAnswerConcurrently() {
    III client = client();
    CountDownLatch bothStarted = new CountDownLatch(2);
    client.registerFunction(
        "meet",
        input -> {
          bothStarted.countDown();
          return bothStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);

    String a = conn.invoke("meet", null);
    String b = conn.invoke("meet", null);

    assertThat(conn.awaitFrame("invocationresult", "invocation_id", a).get("result").asBoolean())
        .isTrue();
    assertThat(conn.awaitFrame("invocationresult", "invocation_id", b).get("result").asBoolean())
        .isTrue();
  }

  @Test
  void engineMayCallBeforeWorkerRegistered() {
    engine.sendWorkerRegistered(false);
    III client = client();
    client.registerFunction("early", input -> "ok");
    client.connect();
    Conn conn = engine.awaitConnection(0);
    waiting().until(() -> !conn.received().isEmpty());

    assertThat(conn.call("early", null).get("result").asString()).isEqualTo("ok");
  }

  /** A result Jackson cannot write: its only property throws. */
  static final class Unwritable {
    public String getValue() {
      throw new IllegalStateException("no value");
    }
  }

  /** A typed handler input. */
  record Person(String name, int age) {}
}
