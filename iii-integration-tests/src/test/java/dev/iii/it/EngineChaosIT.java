package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iii.ConnectionState;
import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.InitOptions;
import dev.iii.ReconnectionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chaos: the stand-alone engine jar killed with SIGKILL and started again on the same port five
 * times, while a Java worker serves a function and a Java caller calls it from four threads.
 *
 * <p>What must hold, whatever the timing: no call hangs (each future completes within its timeout
 * and a margin); each call succeeds or fails with a code that says the engine died under it ({@link
 * #ALLOWED}: {@code connection_lost} for a call in flight on the killed engine — it may have run,
 * so it is not sent again); and every call made during an outage (from the kill to the new engine's
 * ready line; from when the caller sees the engine gone) succeeds once the worker is back — the
 * worker reconnects more slowly than the caller, so the caller's queued calls first meet an engine
 * that does not know the function (D7).
 */
class EngineChaosIT {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final String FUNCTION = "chaos::echo";

  /** How long the engine stays dead each time (fixed, so runs are alike). */
  private static final long[] OUTAGES_MS = {300, 800, 500, 1000, 400};

  private static final int CALLERS = 4;

  /** Calls a thread may have open at once: bounds the offline queue (1,000) during outages. */
  private static final int OPEN_PER_CALLER = 25;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HANG_MARGIN = Duration.ofSeconds(10);

  /** Failures that say the engine died while the call was in flight. */
  private static final Set<String> ALLOWED = Set.of(IIIException.CONNECTION_LOST);

  private final List<EngineProcess> engines = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();

  private record Call(long issuedAt, boolean duringOutage, CompletableFuture<Object> future) {}

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    engines.forEach(EngineProcess::close);
  }

  @Test
  void noCallIsLostOrHungAcrossFiveSigkillRestarts() throws Exception {
    EngineProcess engine = startJar(0);
    String url = engine.wsUrl();
    int port = engine.port();

    III worker =
        client(url, "chaos-worker", Duration.ofMillis(300), Duration.ofMillis(600)); // slower back
    AtomicInteger invocations = new AtomicInteger();
    worker.registerFunction(
        FUNCTION,
        input -> {
          invocations.incrementAndGet();
          return input;
        });
    worker.connect().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    III caller = client(url, "chaos-caller", Duration.ofMillis(20), Duration.ofMillis(100));
    caller.connect().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(READY_TIMEOUT).ignoreExceptions().until(() -> call(caller, -1).join() != null);

    Queue<Call> calls = new ConcurrentLinkedQueue<>();
    AtomicInteger succeeded = new AtomicInteger();
    Outage outage = new Outage();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < CALLERS; t++) {
      int id = t;
      Thread thread =
          new Thread(() -> callLoop(caller, id, calls, succeeded, outage), "chaos-caller-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }

    for (long pause : OUTAGES_MS) {
      awaitOutageCallsEnded(calls);
      int before = succeeded.get();
      await("calls succeed before the next kill")
          .atMost(Duration.ofSeconds(30))
          .until(() -> succeeded.get() >= before + 20);
      outage.active = true;
      engine.kill();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> caller.getConnectionState() != ConnectionState.CONNECTED);
      Thread.sleep(pause); // the outage itself, not a wait for a condition
      engine = startJar(port);
      assertThat(engine.wsUrl()).isEqualTo(url);
      outage.active = false;
    }
    awaitOutageCallsEnded(calls);
    outage.stop = true;
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(thread.isAlive()).as("caller thread ends").isFalse();
    }

    // Every call completes within its timeout and a margin: none hangs.
    int hung = 0;
    int duringOutage = 0;
    int duringOutageOk = 0;
    Map<String, Integer> failures = new TreeMap<>();
    List<String> lostDuringOutage = new ArrayList<>();
    for (Call call : calls) {
      long left = call.issuedAt() + CALL_TIMEOUT.plus(HANG_MARGIN).toNanos() - System.nanoTime();
      String outcome;
      try {
        call.future().get(Math.max(0, left), TimeUnit.NANOSECONDS);
        outcome = null;
      } catch (TimeoutException e) {
        hung++;
        outcome = "hung";
      } catch (ExecutionException e) {
        outcome =
            e.getCause() instanceof IIIException iii
                ? iii.code()
                : String.valueOf(e.getCause().getClass().getName());
      }
      if (outcome != null) {
        failures.merge(outcome, 1, Integer::sum);
      }
      if (call.duringOutage()) {
        duringOutage++;
        if (outcome == null) {
          duringOutageOk++;
        } else {
          lostDuringOutage.add(outcome);
        }
      }
    }
    System.out.printf(
        "chaos: %d calls, %d succeeded, %d made during outages (%d succeeded), failures %s,"
            + " %d invocations%n",
        calls.size(),
        calls.size() - failures.values().stream().mapToInt(Integer::intValue).sum(),
        duringOutage,
        duringOutageOk,
        failures,
        invocations.get());

    assertThat(hung).as("hung calls").isZero();
    assertThat(failures.keySet()).as("failure codes").isSubsetOf(ALLOWED);
    assertThat(duringOutage).as("calls made during outages").isPositive();
    assertThat(lostDuringOutage).as("calls made during outages that failed").isEmpty();
    assertThat(duringOutageOk).isEqualTo(duringOutage);
  }

  /**
   * Waits until the calls made during the last outage have ended (the worker is back), so that the
   * next kill does not catch them in flight: those must all succeed.
   */
  private static void awaitOutageCallsEnded(Queue<Call> calls) {
    await("the calls made during the outage end")
        .atMost(CALL_TIMEOUT.plus(HANG_MARGIN))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                calls.stream().filter(Call::duringOutage).allMatch(call -> call.future().isDone()));
  }

  /** Whether the engine is down now; read by the caller threads. */
  private static final class Outage {
    volatile boolean active;
    volatile boolean stop;
  }

  /** One caller thread: calls without waiting for each, at most {@link #OPEN_PER_CALLER} open. */
  private static void callLoop(
      III caller, int thread, Queue<Call> calls, AtomicInteger succeeded, Outage outage) {
    Semaphore open = new Semaphore(OPEN_PER_CALLER);
    int n = 0;
    while (!outage.stop) {
      try {
        if (!open.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      // The outage starts for the caller when it sees the engine gone: calls made before may have
      // gone out on the dying socket (connection_lost); calls made from then on are queued.
      boolean duringOutage =
          outage.active && caller.getConnectionState() != ConnectionState.CONNECTED;
      long issuedAt = System.nanoTime();
      CompletableFuture<Object> future =
          caller.call(FUNCTION, Map.of("thread", thread, "n", n++), CALL_TIMEOUT);
      calls.add(new Call(issuedAt, duringOutage, future));
      future.whenComplete(
          (result, error) -> {
            if (error == null) {
              succeeded.incrementAndGet();
            }
            open.release();
          });
      try {
        Thread.sleep(2); // a steady load, not a flood: about 500 calls a second per thread at most
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static CompletableFuture<Object> call(III caller, int n) {
    return caller.call(FUNCTION, Map.of("thread", -1, "n", n), CALL_TIMEOUT);
  }

  private III client(String url, String name, Duration firstRetry, Duration maxRetry) {
    III client =
        new III(
            url,
            InitOptions.builder()
                .workerName(name)
                .enableMetricsReporting(false)
                .reconnection(
                    ReconnectionConfig.DEFAULT
                        .withInitialDelay(firstRetry)
                        .withMaxDelay(maxRetry)
                        .withMaxRetries(-1))
                .build());
    clients.add(client);
    return client;
  }

  private EngineProcess startJar(int port) throws Exception {
    EngineProcess engine =
        EngineProcess.start(
            List.of(),
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--http-port",
                "0",
                "--stream-port",
                "0"));
    engines.add(engine);
    return engine;
  }
}
