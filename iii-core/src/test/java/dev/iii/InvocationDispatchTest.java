package dev.iii;

import static dev.iii.FakeEngine.json;
import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.iii.FakeEngine.Conn;
import dev.iii.internal.InvocationDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * How the client runs invocations of its functions: bounded threads, a bounded queue answered
 * {@code unavailable} when full, results too large for the engine, failures in the log, and the
 * drain at shutdown.
 */
class InvocationDispatchTest extends ClientTestSupport {

  private final CountDownLatch release = new CountDownLatch(1);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger dispatcherLog = (Logger) LoggerFactory.getLogger(InvocationDispatcher.class);

  @AfterEach
  void releaseHandlers() {
    release.countDown();
    dispatcherLog.detachAppender(log);
  }

  @Test
  void tenThousandConcurrentInvocationsRunOnABoundedNumberOfThreads() {
    Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
    III client = client();
    client.registerFunction(
        "slow::echo",
        input -> {
          handlerThreads.add(Thread.currentThread());
          release.await(WAIT.toMillis() * 4, TimeUnit.MILLISECONDS);
          return input;
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);
    int threadsBefore = Thread.activeCount();
    int max = client.options().maxConcurrentInvocations();

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(conn.invoke("slow::echo", json("{'i':" + i + "}")));
    }
    waiting()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.invocationStats().inFlight() == max
                    && client.invocationStats().queued() == 10_000 - max);

    assertThat(handlerThreads).hasSize(max);
    assertThat(Thread.activeCount() - threadsBefore).isLessThanOrEqualTo(max + 8);

    release.countDown();
    waiting().atMost(Duration.ofSeconds(60)).until(() -> count(conn, "invocationresult") == 10_000);
    assertThat(handlerThreads).hasSizeLessThanOrEqualTo(max);
    assertThat(client.invocationStats().inFlight()).isZero();
    assertThat(client.invocationStats().queued()).isZero();
    JsonNode last = conn.awaitFrame("invocationresult", "invocation_id", ids.get(9_999));
    assertThat(last.get("result")).isEqualTo(json("{'i':9999}"));
  }

  @Test
  void whenTheQueueIsFullTheCallerIsAnsweredUnavailableAtOnce() {
    III client = client(options -> options.maxConcurrentInvocations(2).maxQueuedInvocations(3));
    client.registerFunction(
        "slow::fn",
        input -> {
          release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
          return "done";
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(conn.invoke("slow::fn", null));
    }
    for (String refused : ids.subList(5, 8)) {
      JsonNode answer = conn.awaitFrame("invocationresult", "invocation_id", refused);
      assertThat(answer.path("error").path("code").asString()).isEqualTo("unavailable");
      assertThat(answer.path("error").path("message").asString())
          .contains("overloaded", "slow::fn");
    }
    waiting()
        .untilAsserted(
            () ->
                assertThat(client.invocationStats()).isEqualTo(new InvocationStats(2, 3, 2, 3, 3)));

    release.countDown();
    for (String accepted : ids.subList(0, 5)) {
      assertThat(conn.awaitFrame("invocationresult", "invocation_id", accepted).get("result"))
          .isEqualTo(json("'done'"));
    }
  }

  @Test
  void aResultTooLargeForTheEngineFailsOnlyItsOwnCall() {
    dispatcherLog.addAppender(log);
    log.start();
    III client = client();
    client.registerFunction("big::result", input -> "x".repeat(17 * 1024 * 1024));
    client.registerFunction("small::echo", input -> input);
    connect(client);
    Conn conn = engine.awaitConnection(0);

    List<String> small = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      small.add(conn.invoke("small::echo", json("{'i':" + i + "}")));
    }
    String big = conn.invoke("big::result", null);
    for (int i = 10; i < 20; i++) {
      small.add(conn.invoke("small::echo", json("{'i':" + i + "}")));
    }

    JsonNode answer = conn.awaitFrame("invocationresult", "invocation_id", big);
    assertThat(answer.path("error").path("code").asString()).isEqualTo("payload_too_large");
    assertThat(answer.path("error").path("message").asString()).contains("big::result", "16 MiB");
    for (int i = 0; i < small.size(); i++) {
      assertThat(conn.awaitFrame("invocationresult", "invocation_id", small.get(i)).get("result"))
          .isEqualTo(json("{'i':" + i + "}"));
    }
    assertThat(engine.connections()).hasSize(1);
    assertThat(conn.closed()).isNotDone();
    assertThat(messages(Level.WARN)).anyMatch(m -> m.contains("big::result") && m.contains(big));
  }

  @Test
  void aFailingHandlerIsLoggedAtWarnWithItsFunctionAndInvocation() {
    dispatcherLog.addAppender(log);
    log.start();
    III client = client();
    client.registerFunction(
        "broken::fn",
        input -> {
          throw new IllegalStateException("database unreachable");
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);

    String id = conn.invoke("broken::fn", null);
    JsonNode answer = conn.awaitFrame("invocationresult", "invocation_id", id);

    assertThat(answer.path("error").path("code").asString()).isEqualTo("invocation_failed");
    waiting().until(() -> !messages(Level.WARN).isEmpty());
    ILoggingEvent event = log.list.get(0);
    assertThat(event.getLevel()).isEqualTo(Level.WARN);
    assertThat(event.getFormattedMessage()).contains("broken::fn", id);
    assertThat(event.getThrowableProxy().getMessage()).isEqualTo("database unreachable");
  }

  @Test
  void aGracefulShutdownLetsRunningAndWaitingInvocationsFinishAndRefusesNewOnes() {
    III client = client(options -> options.maxConcurrentInvocations(1));
    client.registerFunction(
        "slow::fn",
        input -> {
          release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
          return input;
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(conn.invoke("slow::fn", json("{'i':" + i + "}")));
    }
    waiting().until(() -> client.invocationStats().equals(new InvocationStats(1, 2, 1, 10_000, 0)));

    CompletableFuture<Void> shutdown = client.shutdown(Duration.ofSeconds(30));
    String late = conn.invoke("slow::fn", null);

    JsonNode refused = conn.awaitFrame("invocationresult", "invocation_id", late);
    assertThat(refused.path("error").path("code").asString()).isEqualTo("unavailable");
    assertThat(refused.path("error").path("message").asString()).contains("shutting down");
    assertThat(shutdown).isNotDone();
    assertThat(conn.closed()).isNotDone();

    release.countDown();
    for (int i = 0; i < 3; i++) {
      assertThat(conn.awaitFrame("invocationresult", "invocation_id", ids.get(i)).get("result"))
          .isEqualTo(json("{'i':" + i + "}"));
    }
    assertThat(shutdown).succeedsWithin(WAIT);
    assertThat(conn.closed()).succeedsWithin(WAIT);
  }

  @Test
  void anImmediateShutdownAnswersWaitingInvocationsUnavailable() {
    III client = client(options -> options.maxConcurrentInvocations(1));
    client.registerFunction(
        "slow::fn",
        input -> {
          release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
          return input;
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);
    conn.invoke("slow::fn", null);
    String waitingId = conn.invoke("slow::fn", null);
    waiting().until(() -> client.invocationStats().equals(new InvocationStats(1, 1, 1, 10_000, 0)));

    CompletableFuture<Void> shutdown = client.shutdown();

    JsonNode answer = conn.awaitFrame("invocationresult", "invocation_id", waitingId);
    assertThat(answer.path("error").path("code").asString()).isEqualTo("unavailable");
    release.countDown();
    assertThat(shutdown).succeedsWithin(WAIT);
  }

  @Test
  void anInvocationHeldUpLongerThanUsualDoesNotHoldUpTheOnesBehindIt() {
    CountDownLatch quickAnswered = new CountDownLatch(1);
    III client = client();
    client.registerFunction("quick::fn", input -> input);
    // Usually as quick; this time held until a quick invocation queued behind it is answered.
    client.registerFunction(
        "held::fn",
        input -> {
          quickAnswered.await(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
          return "released";
        });
    connect(client);
    Conn conn = engine.awaitConnection(0);
    for (int i = 0; i < 200; i++) { // the client learns that its handlers are quick
      conn.call("quick::fn", json("{'i':" + i + "}"));
    }

    String held = conn.invoke("held::fn", null);
    JsonNode quick = conn.call("quick::fn", json("{'last':true}"));
    quickAnswered.countDown();

    assertThat(quick.get("result")).isEqualTo(json("{'last':true}"));
    assertThat(conn.awaitFrame("invocationresult", "invocation_id", held).get("result"))
        .isEqualTo(json("'released'"));
  }

  @Test
  void asyncHandlersCountAsInFlightUntilTheyComplete() {
    CompletableFuture<Object> pending = new CompletableFuture<>();
    III client = client(options -> options.maxConcurrentInvocations(1));
    client.registerFunction("async::fn", input -> pending);
    client.registerFunction("sync::fn", input -> "sync");
    connect(client);
    Conn conn = engine.awaitConnection(0);

    String asyncId = conn.invoke("async::fn", null);
    waiting().until(() -> client.invocationStats().inFlight() == 1);
    // The handler returned its future: its thread is free for the next invocation.
    assertThat(conn.call("sync::fn", null).get("result")).isEqualTo(json("'sync'"));

    pending.complete(Map.of("late", true));
    assertThat(conn.awaitFrame("invocationresult", "invocation_id", asyncId).get("result"))
        .isEqualTo(json("{'late':true}"));
    waiting().until(() -> client.invocationStats().inFlight() == 0);
  }

  private static long count(Conn conn, String type) {
    return conn.received().stream()
        .filter(frame -> frame.path("type").asString("").equals(type))
        .count();
  }

  private List<String> messages(Level level) {
    return log.list.stream()
        .filter(event -> event.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
