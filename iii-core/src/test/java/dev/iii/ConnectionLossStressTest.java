package dev.iii;

import static dev.iii.FakeEngine.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.internal.DaemonThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The connection drops hundreds of times while many threads call, register and listen. Nothing may
 * deadlock, no thread may stay inside the client's API, every call must end — with its own result
 * or an error — and the client must come back every time.
 *
 * <p>Reported as issue 7's D1: {@code call()} blocked for ever after an engine {@code kill -9}
 * under load, a Netty event loop with it, and the client stayed CONNECTED without reconnecting.
 */
class ConnectionLossStressTest extends ClientTestSupport {

  private static final int DROPS = Integer.getInteger("stress.drops", 300);
  private static final int CALLERS = 8;
  private static final int IN_FLIGHT_PER_CALLER = 16;

  /**
   * A call into the API that has not returned after this long is stuck: the API never waits on the
   * network, so a healthy call returns in microseconds, and a deadlocked one never does.
   */
  private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(20);

  private static final Set<String> LOSS_CODES =
      Set.of(IIIException.CONNECTION_LOST, IIIException.TIMEOUT, IIIException.QUEUE_OVERFLOW);

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Thread, Long> insideApiSince = new ConcurrentHashMap<>();
  private final AtomicLong longestApiCallNanos = new AtomicLong();

  @Test
  void hundredsOfDropsUnderLoadNeitherDeadlockNorStrandACall() throws Exception {
    engine.answer("stress::echo", data -> data);
    III client =
        connect(
            client(
                options ->
                    options
                        .invocationTimeout(Duration.ofSeconds(10))
                        .reconnection(
                            ReconnectionConfig.DEFAULT
                                .withInitialDelay(Duration.ofMillis(1))
                                .withMaxDelay(Duration.ofMillis(10)))));
    List<ConnectionState> states = recordStates(client);

    AtomicBoolean running = new AtomicBoolean(true);
    LongAdder started = new LongAdder();
    LongAdder succeeded = new LongAdder();
    LongAdder lost = new LongAdder();
    List<Throwable> wrong = new CopyOnWriteArrayList<>();
    ExecutorService callers =
        Executors.newFixedThreadPool(CALLERS + 1, new DaemonThreads("caller"));
    for (int t = 0; t < CALLERS; t++) {
      int caller = t;
      callers.execute(() -> callInALoop(client, caller, running, started, succeeded, lost, wrong));
    }
    // One thread keeps registering, unregistering and subscribing, which used to take the lock.
    callers.execute(() -> churnRegistrations(client, running));

    List<String> deadlocks = new CopyOnWriteArrayList<>();
    for (int drop = 0; drop < DROPS; drop++) {
      int connectionsBefore = engine.connections().size();
      if (drop % 2 == 0) {
        // Every other time, with calls flowing on a registered connection (how D1 was seen)...
        waiting()
            .atMost(Duration.ofSeconds(30))
            .until(() -> client.getConnectionState() == ConnectionState.CONNECTED);
      }
      // ...else at once, often in the middle of the replay, when calls race the close.
      engine.current().drop();
      try {
        waiting()
            .atMost(Duration.ofSeconds(30))
            .until(() -> engine.connections().size() > connectionsBefore);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            "no reconnection after drop "
                + drop
                + ": client "
                + client
                + ", last connections "
                + engine
                    .connections()
                    .subList(
                        Math.max(0, engine.connections().size() - 3), engine.connections().size())
                    .stream()
                    .map(c -> c.workerId + " closed=" + c.closed().isDone())
                    .toList()
                + "\n"
                + dump(),
            e);
      }
      checkNothingIsStuck(deadlocks);
    }
    running.set(false);
    callers.shutdown();
    assertThat(callers.awaitTermination(60, TimeUnit.SECONDS))
        .as("caller threads finished (none stuck in the API)")
        .isTrue();

    checkNothingIsStuck(deadlocks);
    assertThat(deadlocks).as("deadlocks or stuck API calls").isEmpty();
    assertThat(threads.findDeadlockedThreads()).as("deadlocked threads").isNull();
    assertThat(wrong).as("calls that ended wrongly").isEmpty();
    waiting()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(succeeded.sum() + lost.sum()).isEqualTo(started.sum()));
    assertThat(succeeded.sum()).as("calls that got their own result").isPositive();
    assertThat(lost.sum()).as("calls that lost their connection").isPositive();

    // The client came back after every drop and still works.
    waiting().until(() -> client.getConnectionState() == ConnectionState.CONNECTED);
    assertThat(client.call("stress::echo", Map.of("last", true)).get(10, TimeUnit.SECONDS))
        .isEqualTo(Map.of("last", true));
    assertThat(states.stream().filter(s -> s == ConnectionState.RECONNECTING).count())
        .isGreaterThanOrEqualTo(DROPS / 2);
    assertThat(eventLoopsInTheClient()).as("event loops blocked in the client").isEmpty();
  }

  private void callInALoop(
      III client,
      int caller,
      AtomicBoolean running,
      LongAdder started,
      LongAdder succeeded,
      LongAdder lost,
      List<Throwable> wrong) {
    Semaphore inFlight = new Semaphore(IN_FLIGHT_PER_CALLER);
    AtomicInteger sequence = new AtomicInteger();
    while (running.get()) {
      inFlight.acquireUninterruptibly();
      Map<String, Object> data = Map.of("caller", caller, "n", sequence.incrementAndGet());
      started.increment();
      enterApi();
      var result = client.call("stress::echo", data);
      leaveApi();
      result.whenComplete(
          (value, error) -> {
            inFlight.release();
            if (error == null) {
              if (data.equals(value)) {
                succeeded.increment();
              } else {
                wrong.add(new AssertionError("call " + data + " got " + value));
              }
            } else if (error instanceof IIIException e && LOSS_CODES.contains(e.code())) {
              lost.increment();
            } else {
              wrong.add(error);
            }
          });
    }
  }

  private void churnRegistrations(III client, AtomicBoolean running) {
    int n = 0;
    while (running.get()) {
      enterApi();
      FunctionRef function = client.registerFunction("stress::fn" + n++, input -> input);
      Trigger trigger = client.registerTrigger("stress::type", function.id(), null);
      Runnable unsubscribe = client.onConnectionStateChange(state -> {});
      client.getConnectionState();
      trigger.unregister();
      function.unregister();
      unsubscribe.run();
      try {
        client.callVoid("stress::echo", Map.of("void", n));
      } catch (IIIException e) {
        // connection_failed or shutdown are not expected here, but are not a hang either
      }
      leaveApi();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // load shaping, not a wait
    }
  }

  private void enterApi() {
    insideApiSince.put(Thread.currentThread(), System.nanoTime());
  }

  private void leaveApi() {
    Long since = insideApiSince.remove(Thread.currentThread());
    if (since != null) {
      longestApiCallNanos.accumulateAndGet(System.nanoTime() - since, Math::max);
    }
  }

  private void checkNothingIsStuck(List<String> problems) {
    long[] deadlocked = threads.findDeadlockedThreads();
    if (deadlocked != null) {
      for (ThreadInfo info : threads.getThreadInfo(deadlocked, true, true)) {
        problems.add("deadlocked: " + info);
      }
    }
    long now = System.nanoTime();
    insideApiSince.forEach(
        (thread, since) -> {
          if (now - since > STUCK_NANOS) {
            problems.add(
                "stuck in the API for "
                    + TimeUnit.NANOSECONDS.toSeconds(now - since)
                    + " s: "
                    + thread.getName()
                    + " at "
                    + List.of(thread.getStackTrace()));
          }
        });
  }

  private String dump() {
    StringBuilder out = new StringBuilder();
    for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
      if (info.getThreadName().startsWith("iii") || info.getThreadName().startsWith("reactor")) {
        out.append(info.getThreadName()).append(' ').append(info.getThreadState()).append('\n');
        for (StackTraceElement frame : info.getStackTrace()) {
          out.append("    ").append(frame).append('\n');
        }
      }
    }
    return out.toString();
  }

  /** Reactor Netty event loops that are blocked or waiting inside the client's code. */
  private List<String> eventLoopsInTheClient() {
    List<String> blocked = new ArrayList<>();
    for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
      if (!info.getThreadName().startsWith("reactor-http")) {
        continue;
      }
      boolean waiting =
          info.getThreadState() == Thread.State.BLOCKED
              || (info.getThreadState() == Thread.State.WAITING && info.getLockInfo() != null);
      boolean inClient = false;
      for (StackTraceElement frame : info.getStackTrace()) {
        if (frame.getClassName().startsWith("dev.iii.")) {
          inClient = true;
          break;
        }
      }
      if (waiting && inClient) {
        blocked.add(info.toString());
      }
    }
    return blocked;
  }
}
