package dev.iii;

import static dev.iii.FakeEngine.json;
import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.FakeEngine.Conn;
import dev.iii.internal.SdkVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Tests of the client's connection state machine against a scripted {@link FakeEngine}. */
class IIIConnectionTest extends ClientTestSupport {

  private static final TriggerHandler NO_OP_TRIGGERS =
      new TriggerHandler() {
        @Override
        public void registerTrigger(TriggerConfig config) {}

        @Override
        public void unregisterTrigger(TriggerConfig config) {}
      };

  @Test
  void connectCompletesOnWorkerRegisteredAndSetsTheWorkerId() {
    III client = client();
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
    assertThat(client.workerId()).isEmpty();

    connect(client);

    Conn conn = engine.awaitConnection(0);
    assertThat(client.workerId()).contains(conn.workerId);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void connectWaitsForWorkerRegistered() {
    engine.sendWorkerRegistered(false);
    III client = client();

    CompletableFuture<Void> connected = client.connect();
    Conn conn = engine.awaitConnection(0);
    conn.settle();

    assertThat(connected).isNotDone();
    assertThat(client.workerId()).isEmpty();

    String workerId = UUID.randomUUID().toString();
    conn.send("{\"type\":\"workerregistered\",\"worker_id\":\"" + workerId + "\"}");

    assertThat(connected).succeedsWithin(WAIT);
    assertThat(client.workerId()).contains(workerId);
  }

  @Test
  void connectIsIdempotent() {
    III client = client();

    CompletableFuture<Void> first = client.connect();
    CompletableFuture<Void> second = client.connect();

    assertThat(first).succeedsWithin(WAIT);
    assertThat(second).succeedsWithin(WAIT);
    assertThat(client.connect()).succeedsWithin(WAIT);
    engine.awaitConnection(0).settle();
    assertThat(engine.connections()).hasSize(1);
  }

  @Test
  void connectFutureCompletesOnAnSdkThread() throws Exception {
    engine.sendWorkerRegistered(false);
    III client = client();
    CompletableFuture<String> thread =
        client.connect().thenApply(ignored -> Thread.currentThread().getName());
    Conn conn = engine.awaitConnection(0);
    conn.settle();

    conn.send("{\"type\":\"workerregistered\",\"worker_id\":\"" + UUID.randomUUID() + "\"}");

    assertThat(thread.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).startsWith("iii-callback");
  }

  @Test
  void sendsMetadataThenRegistrationsByKindOnConnect() {
    III client = client();
    // Registered in mixed order: the client groups them by kind.
    client.registerFunction("fn.a", input -> null);
    Trigger cron = client.registerTrigger("cron", "fn.a", Map.of("expression", "* * * * *"));
    client.registerService("svc", "a service", null);
    client.registerTriggerType("tt.one", "first type", NO_OP_TRIGGERS);
    client.registerFunction("fn.b", input -> null, "the b function", Map.of("k", "v"));
    client.registerService("svc.child", null, "svc");
    client.registerTriggerType("tt.two", "second type", NO_OP_TRIGGERS);
    Trigger http = client.registerTrigger("http", "fn.b", null);

    connect(client);
    List<JsonNode> frames = engine.awaitConnection(0).settle();

    assertThat(summaries(frames))
        .containsExactly(
            "invokefunction engine::workers::register (no reply)",
            "registertriggertype tt.one",
            "registertriggertype tt.two",
            "registerservice svc",
            "registerservice svc.child",
            "registerfunction fn.a",
            "registerfunction fn.b",
            "registertrigger cron -> fn.a",
            "registertrigger http -> fn.b");
    assertThat(frames.subList(1, 9))
        .containsExactly(
            json("{'type':'registertriggertype','id':'tt.one','description':'first type'}"),
            json("{'type':'registertriggertype','id':'tt.two','description':'second type'}"),
            json("{'type':'registerservice','id':'svc','name':'svc','description':'a service'}"),
            json(
                "{'type':'registerservice','id':'svc.child','name':'svc.child',"
                    + "'parent_service_id':'svc'}"),
            json("{'type':'registerfunction','id':'fn.a'}"),
            json(
                "{'type':'registerfunction','id':'fn.b','description':'the b function',"
                    + "'metadata':{'k':'v'}}"),
            json(
                "{'type':'registertrigger','id':'"
                    + cron.id()
                    + "','trigger_type':'cron','function_id':'fn.a',"
                    + "'config':{'expression':'* * * * *'}}"),
            json(
                "{'type':'registertrigger','id':'"
                    + http.id()
                    + "','trigger_type':'http','function_id':'fn.b','config':{}}"));
  }

  @Test
  void sendsWorkerMetadataFirst() {
    III client =
        client(options -> options.telemetry(new TelemetryOptions("fr-FR", "shop", "spring-boot")));

    connect(client);
    List<JsonNode> frames = engine.awaitConnection(0).settle();

    String os =
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")";
    JsonNode expected =
        FakeEngine.JSON
            .createObjectNode()
            .put("type", "invokefunction")
            .put("function_id", "engine::workers::register")
            .set(
                "data",
                FakeEngine.JSON
                    .createObjectNode()
                    .put("runtime", "java")
                    .put("version", SdkVersion.get())
                    .put("name", WORKER_NAME)
                    .put("os", os)
                    .put("pid", ProcessHandle.current().pid())
                    .set(
                        "telemetry",
                        FakeEngine.JSON
                            .createObjectNode()
                            .put("language", "fr-FR")
                            .put("project_name", "shop")
                            .put("framework", "spring-boot")));
    assertThat(frames).hasSize(1);
    // Compare as text so that number node types (int vs long) do not matter.
    assertThat(json(frames.get(0).toString())).isEqualTo(json(expected.toString()));
  }

  @Test
  void registrationsMadeWhileConnectedAreSentAtOnce() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    int before = conn.settle().size();

    client.registerTriggerType("tt", null, NO_OP_TRIGGERS);
    client.registerService("svc", null, null);
    FunctionRef function = client.registerFunction("fn", input -> null);
    Trigger trigger = client.registerTrigger("tt", "fn", null);
    trigger.unregister();
    trigger.unregister();
    function.unregister();
    client.unregisterTriggerType("tt");
    List<JsonNode> frames = conn.settle();

    assertThat(frames.subList(before, frames.size()))
        .containsExactly(
            json("{'type':'registertriggertype','id':'tt','description':''}"),
            json("{'type':'registerservice','id':'svc','name':'svc'}"),
            json("{'type':'registerfunction','id':'fn'}"),
            json(
                "{'type':'registertrigger','id':'"
                    + trigger.id()
                    + "','trigger_type':'tt','function_id':'fn','config':{}}"),
            json("{'type':'unregistertrigger','id':'" + trigger.id() + "','trigger_type':'tt'}"),
            json("{'type':'unregisterfunction','id':'fn'}"),
            json("{'type':'unregistertriggertype','id':'tt'}"));
  }

  @Test
  void aCallAfterARegistrationOnTheSameThreadNeverOvertakesIt() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    for (int i = 0; i < 200; i++) {
      client.registerFunction("fn." + i, input -> null);
      client.callVoid("fn." + i, null);
    }
    List<String> frames = summaries(conn.settle());

    for (int i = 0; i < 200; i++) {
      assertThat(frames.indexOf("registerfunction fn." + i))
          .as("fn.%d registered before it is called", i)
          .isNotNegative()
          .isLessThan(frames.indexOf("invokefunction fn." + i + " (no reply)"));
    }
  }

  @Test
  void stateListenerGetsTheCurrentStateThenEveryChangeInOrder() {
    III client = client();
    List<ConnectionState> states = recordStates(client);
    assertThat(states).containsExactly(ConnectionState.DISCONNECTED);

    connect(client);
    waiting()
        .untilAsserted(
            () ->
                assertThat(states)
                    .containsExactly(
                        ConnectionState.DISCONNECTED,
                        ConnectionState.CONNECTING,
                        ConnectionState.CONNECTED));

    engine.awaitConnection(0).drop();
    engine.awaitConnection(1);
    waiting().until(() -> states.size() == 5);
    assertThat(states)
        .containsExactly(
            ConnectionState.DISCONNECTED,
            ConnectionState.CONNECTING,
            ConnectionState.CONNECTED,
            ConnectionState.RECONNECTING,
            ConnectionState.CONNECTED);

    assertThat(client.shutdown()).succeedsWithin(WAIT);
    waiting().until(() -> states.size() == 6);
    assertThat(states).endsWith(ConnectionState.DISCONNECTED);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
  }

  @Test
  void lateListenerGetsTheCurrentStateOnceAndNothingStale() throws Exception {
    III client = client();
    CountDownLatch release = new CountDownLatch(1);
    List<ConnectionState> first = new CopyOnWriteArrayList<>();
    // The first listener holds up the delivery of CONNECTING while the client connects.
    client.onConnectionStateChange(
        state -> {
          first.add(state);
          if (state == ConnectionState.CONNECTING) {
            try {
              release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    client.connect();
    waiting().until(() -> client.getConnectionState() == ConnectionState.CONNECTED);

    List<ConnectionState> late = recordStates(client);
    release.countDown();
    waiting()
        .untilAsserted(
            () ->
                assertThat(first)
                    .containsExactly(
                        ConnectionState.DISCONNECTED,
                        ConnectionState.CONNECTING,
                        ConnectionState.CONNECTED));

    // A later change, so that the delivery of CONNECTED has finished for every listener.
    engine.awaitConnection(0).drop();
    waiting().until(() -> late.contains(ConnectionState.RECONNECTING));

    // The late listener was told CONNECTED at once; the queued CONNECTED change is not news.
    assertThat(late.subList(0, 2))
        .containsExactly(ConnectionState.CONNECTED, ConnectionState.RECONNECTING);
  }

  @Test
  void unsubscribedListenerHearsNothingMore() {
    III client = client();
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    Runnable unsubscribe = client.onConnectionStateChange(states::add);
    List<ConnectionState> all = recordStates(client);
    unsubscribe.run();

    connect(client);
    waiting().until(() -> all.contains(ConnectionState.CONNECTED));

    assertThat(states).containsExactly(ConnectionState.DISCONNECTED);
  }

  @Test
  void reconnectSendsReattachMetadataRegistrationsThenQueuedCalls() {
    III client = client();
    client.registerFunction("fn.a", input -> null);
    FunctionRef dropped = client.registerFunction("fn.dropped", input -> null);
    client.registerTriggerType("tt", "type", NO_OP_TRIGGERS);
    client.registerService("svc", null, null);
    Trigger trigger = client.registerTrigger("tt", "fn.a", Map.of("every", 5));
    connect(client);
    Conn first = engine.awaitConnection(0);
    List<JsonNode> firstFrames = first.settle();

    // A call in flight on the first connection, never answered.
    CompletableFuture<Object> inFlight = client.call("remote::slow", Map.of("n", 0));
    first.awaitFrame("invokefunction", "function_id", "remote::slow");

    engine.stopListening();
    first.drop();
    assertThat(failure(inFlight).code()).isEqualTo(IIIException.CONNECTION_LOST);
    waiting().until(() -> client.getConnectionState() == ConnectionState.RECONNECTING);
    assertThat(client.workerId()).isEmpty();

    // While disconnected: calls are queued; registrations change.
    engine.answer("remote::x", data -> json("{'doubled':" + data.get("n").asInt() * 2 + "}"));
    CompletableFuture<Object> x = client.call("remote::x", Map.of("n", 21));
    client.callVoid("remote::y", Map.of("n", 2));
    CompletableFuture<Object> z = client.call("remote::z", null);
    client.registerFunction("fn.c", input -> null);
    dropped.unregister();
    assertThat(x).isNotDone();

    engine.resumeListening();
    Conn second = engine.awaitConnection(1);
    waiting().until(() -> client.getConnectionState() == ConnectionState.CONNECTED);
    List<JsonNode> frames = second.settle();

    assertThat(summaries(frames))
        .containsExactly(
            "reattach",
            "invokefunction engine::workers::register (no reply)",
            "registertriggertype tt",
            "registerservice svc",
            "registerfunction fn.a",
            "registerfunction fn.c",
            "registertrigger tt -> fn.a",
            "invokefunction remote::x",
            "invokefunction remote::y (no reply)",
            "invokefunction remote::z");
    // First the previous connection's identity, so the engine retires it before the replay.
    assertThat(frames.get(0))
        .isEqualTo(
            json(
                "{'type':'reattach','previous_worker_id':'"
                    + first.workerId
                    + "','reattach_token':'"
                    + first.reattachToken
                    + "'}"));
    // Registrations are sent again exactly as the first time (same trigger id).
    assertThat(frames.get(6)).isEqualTo(firstFrames.get(5));
    assertThat(frames.get(6).get("id").asString()).isEqualTo(trigger.id());
    assertThat(withoutInvocationId(frames.get(7)))
        .isEqualTo(json("{'type':'invokefunction','function_id':'remote::x','data':{'n':21}}"));
    assertThat(frames.get(7).get("invocation_id").asString()).isNotBlank();
    assertThat(frames.get(8))
        .isEqualTo(json("{'type':'invokefunction','function_id':'remote::y','data':{'n':2}}"));
    assertThat(withoutInvocationId(frames.get(9)))
        .isEqualTo(json("{'type':'invokefunction','function_id':'remote::z','data':null}"));

    assertThat(x).succeedsWithin(WAIT).isEqualTo(Map.of("doubled", 42));
    assertThat(z).isNotDone();
    assertThat(client.workerId()).contains(second.workerId);
  }

  @Test
  void queuedCallsAreSentOnFirstConnect() {
    III client = client();
    engine.answer("remote::echo", data -> data);

    CompletableFuture<Object> echoed = client.call("remote::echo", List.of(1, 2, 3));
    client.callVoid("remote::log", "hello");
    connect(client);

    assertThat(summaries(engine.awaitConnection(0).settle()))
        .containsExactly(
            "invokefunction engine::workers::register (no reply)",
            "invokefunction remote::echo",
            "invokefunction remote::log (no reply)");
    assertThat(echoed).succeedsWithin(WAIT).isEqualTo(List.of(1, 2, 3));
  }

  @Test
  void callsAreSentWithEveryRequiredField() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    conn.settle();

    client.call("remote::a", null);
    client.callVoid("remote::b", null);
    client.call("remote::c", Map.of("k", List.of(true)));
    List<JsonNode> frames = conn.settle();

    JsonNode a = frames.get(frames.size() - 3);
    assertThat(withoutInvocationId(a))
        .isEqualTo(json("{'type':'invokefunction','function_id':'remote::a','data':null}"));
    assertThat(UUID.fromString(a.get("invocation_id").asString()).toString())
        .isEqualTo(a.get("invocation_id").asString());
    assertThat(frames.get(frames.size() - 2))
        .isEqualTo(json("{'type':'invokefunction','function_id':'remote::b','data':null}"));
    assertThat(withoutInvocationId(frames.get(frames.size() - 1)))
        .isEqualTo(json("{'type':'invokefunction','function_id':'remote::c','data':{'k':[true]}}"));
  }

  @Test
  void callResultsAndErrorsComeBackFromTheEngine() {
    III client = connect(client());
    engine.answer("remote::ok", data -> json("{'greeting':'hi'}"));
    engine.answer("remote::nothing", data -> null);
    engine.answerError("remote::bad", "invocation_failed", "it broke");

    assertThat(client.call("remote::ok", null))
        .succeedsWithin(WAIT)
        .isEqualTo(Map.of("greeting", "hi"));
    assertThat(client.call("remote::nothing", null)).succeedsWithin(WAIT).isNull();
    assertThat(client.call("remote::ok", null, Greeting.class))
        .succeedsWithin(WAIT)
        .isEqualTo(new Greeting("hi"));

    IIIException error = failure(client.call("remote::bad", null));
    assertThat(error.code()).isEqualTo("invocation_failed");
    assertThat(error.errorMessage()).isEqualTo("it broke");
    assertThat(error.functionId()).isEqualTo("remote::bad");
  }

  @Test
  void callFuturesCompleteOnAnSdkThread() throws Exception {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    CompletableFuture<String> thread =
        client.call("remote::f", null).thenApply(ignored -> Thread.currentThread().getName());
    JsonNode invoke = conn.awaitFrame("invokefunction", "function_id", "remote::f");
    conn.send(
        "{\"type\":\"invocationresult\",\"invocation_id\":\""
            + invoke.get("invocation_id").asString()
            + "\",\"function_id\":\"remote::f\",\"result\":1}");

    assertThat(thread.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .startsWith("iii-callback")
        .doesNotStartWith("reactor-http");
  }

  @Test
  void callsTimeOutAfterTheInvocationTimeout() {
    III client = connect(client(options -> options.invocationTimeout(Duration.ofMillis(150))));

    IIIException error = failure(client.call("remote::silent", null));

    assertThat(error.code()).isEqualTo(IIIException.TIMEOUT);
    assertThat(error.functionId()).isEqualTo("remote::silent");
    assertThat(error.errorMessage()).contains("150 ms");
  }

  @Test
  void callsTimeOutAfterTheirOwnTimeout() {
    III client = connect(client());

    long start = System.nanoTime();
    IIIException error = failure(client.call("remote::silent", null, Duration.ofMillis(100)));

    assertThat(error.code()).isEqualTo(IIIException.TIMEOUT);
    assertThat(error.errorMessage()).contains("100 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
  }

  @Test
  void lateResultOfATimedOutCallIsIgnored() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    CompletableFuture<Object> call = client.call("remote::late", null, Duration.ofMillis(50));
    JsonNode invoke = conn.awaitFrame("invokefunction", "function_id", "remote::late");
    assertThat(failure(call).code()).isEqualTo(IIIException.TIMEOUT);

    conn.send(
        "{\"type\":\"invocationresult\",\"invocation_id\":\""
            + invoke.get("invocation_id").asString()
            + "\",\"function_id\":\"remote::late\",\"result\":1}");
    conn.settle();

    assertThat(failure(call).code()).isEqualTo(IIIException.TIMEOUT);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void queuedCallThatTimedOutIsNotSent() {
    III client = client();
    CompletableFuture<Object> call = client.call("remote::old", null, Duration.ofMillis(50));
    assertThat(failure(call).code()).isEqualTo(IIIException.TIMEOUT);

    connect(client);

    assertThat(summaries(engine.awaitConnection(0).settle()))
        .containsExactly("invokefunction engine::workers::register (no reply)");
  }

  @Test
  void pendingCallsFailFastWhenTheConnectionDrops() {
    III client = connect(client());
    Conn first = engine.awaitConnection(0);
    CompletableFuture<Object> a = client.call("remote::a", null);
    CompletableFuture<Object> b = client.call("remote::b", null, Duration.ofSeconds(60));
    first.awaitFrame("invokefunction", "function_id", "remote::b");

    long start = System.nanoTime();
    first.drop();

    IIIException lostA = failure(a);
    IIIException lostB = failure(b);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
    assertThat(lostA.code()).isEqualTo(IIIException.CONNECTION_LOST);
    assertThat(lostA.functionId()).isEqualTo("remote::a");
    assertThat(lostB.code()).isEqualTo(IIIException.CONNECTION_LOST);

    // Lost calls are not sent again on the new connection.
    Conn second = engine.awaitConnection(1);
    assertThat(summaries(second.settle()))
        .containsExactly("reattach", "invokefunction engine::workers::register (no reply)");
  }

  @Test
  void reconnectsAfterTheEngineComesBackOnTheSamePort() {
    III client = client();
    List<ConnectionState> states = recordStates(client);
    connect(client);
    Conn first = engine.awaitConnection(0);

    engine.stopListening();
    first.drop();
    waiting().until(() -> states.contains(ConnectionState.RECONNECTING));
    assertThat(client.workerId()).isEmpty();

    engine.resumeListening();

    Conn second = engine.awaitConnection(1);
    waiting().until(() -> client.workerId().equals(Optional.of(second.workerId)));
    waiting().until(() -> states.size() == 5);
    assertThat(engine.connections()).hasSize(2);
    assertThat(states)
        .containsExactly(
            ConnectionState.DISCONNECTED,
            ConnectionState.CONNECTING,
            ConnectionState.CONNECTED,
            ConnectionState.RECONNECTING,
            ConnectionState.CONNECTED);
  }

  @Test
  void connectKeepsRetryingUntilTheEngineAccepts() {
    engine.rejectHandshakes(true);
    III client = client();
    List<ConnectionState> states = recordStates(client);

    CompletableFuture<Void> connected = client.connect();
    waiting().until(() -> engine.rejectedHandshakes() >= 3);
    assertThat(connected).isNotDone();
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.RECONNECTING);

    engine.rejectHandshakes(false);

    assertThat(connected).succeedsWithin(WAIT);
    waiting().until(() -> states.contains(ConnectionState.CONNECTED));
    assertThat(states)
        .containsExactly(
            ConnectionState.DISCONNECTED,
            ConnectionState.CONNECTING,
            ConnectionState.RECONNECTING,
            ConnectionState.CONNECTED);
  }

  @Test
  void givesUpAfterMaxRetriesInStateFailed() {
    engine.rejectHandshakes(true);
    III client = client(options -> options.reconnection(FAST.withMaxRetries(2)));
    List<ConnectionState> states = recordStates(client);
    CompletableFuture<Object> queued = client.call("remote::queued", null);

    IIIException error = failure(client.connect());

    assertThat(error.code()).isEqualTo(IIIException.CONNECTION_FAILED);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.FAILED);
    // The first attempt and two retries.
    assertThat(engine.rejectedHandshakes()).isEqualTo(3);
    waiting().until(() -> states.contains(ConnectionState.FAILED));
    assertThat(states)
        .containsExactly(
            ConnectionState.DISCONNECTED,
            ConnectionState.CONNECTING,
            ConnectionState.RECONNECTING,
            ConnectionState.FAILED);
    assertThat(failure(queued).code()).isEqualTo(IIIException.CONNECTION_FAILED);
    assertThat(failure(client.call("remote::after", null)).code())
        .isEqualTo(IIIException.CONNECTION_FAILED);
    assertThatThrownBy(() -> client.callVoid("remote::after", null))
        .isInstanceOf(IIIException.class)
        .extracting(e -> ((IIIException) e).code())
        .isEqualTo(IIIException.CONNECTION_FAILED);
    assertThat(engine.connections()).isEmpty();
  }

  @Test
  void givesUpWhenConnectionsAreRefused() {
    engine.stopListening();
    III client = client(options -> options.reconnection(FAST.withMaxRetries(1)));

    IIIException error = failure(client.connect());

    assertThat(error.code()).isEqualTo(IIIException.CONNECTION_FAILED);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.FAILED);
  }

  @Test
  void maxRetriesZeroGivesUpAfterTheFirstAttempt() {
    engine.rejectHandshakes(true);
    III client = client(options -> options.reconnection(FAST.withMaxRetries(0)));

    assertThat(failure(client.connect()).code()).isEqualTo(IIIException.CONNECTION_FAILED);
    assertThat(engine.rejectedHandshakes()).isEqualTo(1);
  }

  @Test
  void connectAfterFailedStartsOver() {
    engine.rejectHandshakes(true);
    III client = client(options -> options.reconnection(FAST.withMaxRetries(1)));
    assertThat(failure(client.connect()).code()).isEqualTo(IIIException.CONNECTION_FAILED);

    engine.rejectHandshakes(false);
    CompletableFuture<Void> again = client.connect();

    assertThat(again).succeedsWithin(WAIT);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(client.workerId()).contains(engine.awaitConnection(0).workerId);
  }

  @Test
  void retriesCountAgainFromZeroAfterASuccessfulConnection() {
    III client = connect(client(options -> options.reconnection(FAST.withMaxRetries(2))));

    // One failed retry per outage is within the limit, outage after outage.
    for (int outage = 1; outage <= 3; outage++) {
      engine.rejectNextHandshakes(1);
      engine.current().drop();
      Conn next = engine.awaitConnection(outage);
      waiting().until(() -> client.workerId().equals(Optional.of(next.workerId)));
    }
    assertThat(engine.rejectedHandshakes()).isEqualTo(3);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void queueOverflowDropsTheOldestCall() {
    III client = client(options -> options.maxQueueSize(2));

    CompletableFuture<Object> first = client.call("remote::1", null);
    CompletableFuture<Object> second = client.call("remote::2", null);
    client.callVoid("remote::3", null);

    IIIException overflow = failure(first);
    assertThat(overflow.code()).isEqualTo(IIIException.QUEUE_OVERFLOW);
    assertThat(overflow.functionId()).isEqualTo("remote::1");
    assertThat(second).isNotDone();

    client.call("remote::4", null);
    assertThat(failure(second).code()).isEqualTo(IIIException.QUEUE_OVERFLOW);

    connect(client);
    assertThat(summaries(engine.awaitConnection(0).settle()))
        .containsExactly(
            "invokefunction engine::workers::register (no reply)",
            "invokefunction remote::3 (no reply)",
            "invokefunction remote::4");
  }

  @Test
  void queueOfSizeZeroFailsCallsAtOnce() {
    III client = client(options -> options.maxQueueSize(0));

    assertThat(failure(client.call("remote::x", null)).code())
        .isEqualTo(IIIException.QUEUE_OVERFLOW);
  }

  @Test
  void shutdownFailsPendingCallsAndClosesTheConnection() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    CompletableFuture<Object> pending = client.call("remote::slow", null);
    conn.awaitFrame("invokefunction", "function_id", "remote::slow");

    CompletableFuture<Void> shutdown = client.shutdown();

    assertThat(failure(pending).code()).isEqualTo(IIIException.SHUTDOWN);
    assertThat(shutdown).succeedsWithin(WAIT);
    assertThat(client.shutdown()).isSameAs(shutdown);
    assertThat(conn.closed()).succeedsWithin(WAIT);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
    assertThat(client.workerId()).isEmpty();
    assertThat(engine.connections()).hasSize(1);
  }

  @Test
  void shutdownFailsQueuedCallsAndTheConnectFuture() {
    engine.rejectHandshakes(true);
    III client = client();
    CompletableFuture<Object> queued = client.call("remote::queued", null);
    CompletableFuture<Void> connected = client.connect();
    waiting().until(() -> engine.rejectedHandshakes() >= 1);

    assertThat(client.shutdown()).succeedsWithin(WAIT);

    assertThat(failure(queued).code()).isEqualTo(IIIException.SHUTDOWN);
    assertThat(failure(connected).code()).isEqualTo(IIIException.SHUTDOWN);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
  }

  @Test
  void shutdownDuringTheHandshakeLeavesNoConnectionOpen() {
    engine.holdHandshakes();
    III client = client();
    client.registerFunction("fn", input -> null);
    CompletableFuture<Void> connected = client.connect();
    waiting().until(() -> engine.heldHandshakes() == 1);

    assertThat(client.shutdown()).succeedsWithin(WAIT);
    assertThat(failure(connected).code()).isEqualTo(IIIException.SHUTDOWN);
    engine.releaseHandshakes();

    // The client abandons the attempt; should the handshake still complete, the client closes it
    // at once without sending anything. Either way no connection stays open.
    await()
        .during(Duration.ofMillis(300))
        .atMost(WAIT)
        .until(
            () ->
                engine.connections().stream()
                    .allMatch(c -> c.closed().isDone() && c.received().isEmpty()));
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
  }

  @Test
  void afterShutdownEverythingFailsWithShutdown() {
    III client = connect(client());
    assertThat(client.shutdown()).succeedsWithin(WAIT);

    assertThat(failure(client.call("remote::x", null)).code()).isEqualTo(IIIException.SHUTDOWN);
    assertThat(failure(client.connect()).code()).isEqualTo(IIIException.SHUTDOWN);
    assertThatThrownBy(() -> client.callVoid("remote::y", null))
        .isInstanceOfSatisfying(
            IIIException.class, e -> assertThat(e.code()).isEqualTo(IIIException.SHUTDOWN));
  }

  @Test
  void closeShutsDown() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);

    client.close();

    assertThat(conn.closed()).succeedsWithin(WAIT);
    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
  }

  @Test
  void answersEnginePingWithPong() {
    connect(client());
    Conn conn = engine.awaitConnection(0);
    conn.settle();
    int before = conn.received().size();

    conn.send("{\"type\":\"ping\"}");

    waiting().until(() -> conn.received().size() > before);
    assertThat(conn.received().subList(before, conn.received().size()))
        .containsExactly(json("{'type':'pong'}"));
  }

  @Test
  void ignoresUnknownAndMalformedFrames() {
    III client = connect(client());
    Conn conn = engine.awaitConnection(0);
    engine.answer("remote::ok", data -> data);

    conn.send("{\"type\":\"somethingnew\",\"x\":1}");
    conn.send("not json");
    conn.send("{\"type\":\"invocationresult\"}");
    conn.send("   ");
    conn.settle();

    assertThat(client.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(client.call("remote::ok", 7)).succeedsWithin(WAIT).isEqualTo(7);
  }

  private static JsonNode withoutInvocationId(JsonNode frame) {
    ObjectNode copy = (ObjectNode) frame.deepCopy();
    copy.remove("invocation_id");
    return copy;
  }

  /** A typed call result. */
  record Greeting(String greeting) {}
}
