package dev.iii.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.ConnectionState;
import dev.iii.Context;
import dev.iii.FunctionRef;
import dev.iii.III;
import dev.iii.IIIException;
import dev.iii.InitOptions;
import dev.iii.engine.EmbeddedEngine;
import dev.iii.protocol.FunctionDetail;
import dev.iii.protocol.FunctionInfo;
import dev.iii.protocol.WorkerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The Java client against the embedded engine: every call path, failure and recovery. */
class ClientEngineTest extends EngineTestSupport {

  @Test
  void callReturnsTheHandlersResultAndTheCallerIdIsInjected() throws Exception {
    III provider = client("provider");
    III caller = client("caller");
    provider.registerFunction(
        "math::add",
        input -> {
          Map<?, ?> in = (Map<?, ?>) input;
          return Map.of(
              "sum",
              ((Number) in.get("a")).intValue() + ((Number) in.get("b")).intValue(),
              "caller",
              in.get("_caller_worker_id"));
        });
    get(provider.connect());
    get(caller.connect());

    Object result = get(caller.call("math::add", Map.of("a", 2, "b", 40)));

    assertThat(result).isEqualTo(Map.of("sum", 42, "caller", caller.workerId().orElseThrow()));
  }

  /** The result type of a typed call. */
  record Sum(int sum) {}

  /** The input type of a typed handler. */
  record Pair(int a, int b) {}

  @Test
  void typedHandlersAndTypedResults() throws Exception {
    III provider = client("provider");
    provider.registerFunction("math::typed", Pair.class, pair -> new Sum(pair.a() + pair.b()));
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());

    Sum sum = get(caller.call("math::typed", new Pair(3, 4), Sum.class));

    assertThat(sum).isEqualTo(new Sum(7));
    IIIException wrongType = failure(caller.call("math::typed", new Pair(1, 1), Integer.class));
    assertThat(wrongType.code()).isEqualTo("invalid_result");
    assertThat(wrongType.functionId()).isEqualTo("math::typed");
  }

  @Test
  void aTypedFunctionShowsItsInputSchemaInFunctionInfo() throws Exception {
    III provider = client("provider");
    provider.registerFunction("math::typed", Pair.class, pair -> new Sum(pair.a() + pair.b()));
    get(provider.connect());

    FunctionDetail detail = get(provider.functionInfo("math::typed"));

    assertThat(detail.requestSchema())
        .isEqualTo(
            Map.of(
                "$schema",
                "https://json-schema.org/draft/2020-12/schema",
                "type",
                "object",
                "properties",
                Map.of("a", Map.of("type", "integer"), "b", Map.of("type", "integer"))));
    assertThat(detail.responseSchema()).isNull();
  }

  @Test
  void asynchronousHandlersRunOffTheEventLoopWithTheirContext() throws Exception {
    III provider = client("provider");
    List<String> threads = new CopyOnWriteArrayList<>();
    provider.registerFunction(
        "async::stage",
        input -> {
          threads.add(Thread.currentThread().getName());
          Context context = Context.current();
          return CompletableFuture.supplyAsync(
              () -> context.functionId() + "/" + (context.invocationId() != null));
        });
    provider.registerFunction("async::mono", input -> Mono.just(Map.of("from", "mono")));
    provider.registerFunction("async::nothing", input -> null);
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());

    assertThat(get(caller.call("async::stage", null))).isEqualTo("async::stage/true");
    assertThat(get(caller.call("async::mono", null))).isEqualTo(Map.of("from", "mono"));
    assertThat(get(caller.call("async::nothing", "x"))).isNull();
    assertThat(threads).allSatisfy(name -> assertThat(name).doesNotStartWith("reactor-http"));
  }

  @Test
  void callVoidRunsTheHandlerWithoutAResult() throws Exception {
    III provider = client("provider");
    CompletableFuture<Object> received = new CompletableFuture<>();
    provider.registerFunction(
        "events::record",
        input -> {
          received.complete(input);
          return "ignored";
        });
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());

    caller.callVoid("events::record", Map.of("n", 1));

    assertThat(get(received))
        .isEqualTo(Map.of("n", 1, "_caller_worker_id", caller.workerId().orElseThrow()));
  }

  @Test
  void unknownFunctionFailsWithTheEnginesCodeAndMessage() throws Exception {
    III caller = client("caller");
    get(caller.connect());

    IIIException error = failure(caller.call("nope::missing", Map.of()));

    assertThat(error.code()).isEqualTo("function_not_found");
    assertThat(error.errorMessage()).isEqualTo("Function nope::missing not found");
    assertThat(error.functionId()).isEqualTo("nope::missing");
  }

  @Test
  void handlerExceptionsBecomeInvocationErrors() throws Exception {
    III provider = client("provider");
    provider.registerFunction(
        "fail::plain",
        input -> {
          throw new IllegalStateException("out of stock");
        });
    provider.registerFunction(
        "fail::coded",
        input -> {
          throw new IIIException("payment_declined", "card expired");
        });
    provider.registerFunction(
        "fail::async",
        input -> CompletableFuture.failedFuture(new RuntimeException("late failure")));
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());

    IIIException plain = failure(caller.call("fail::plain", null));
    assertThat(plain.code()).isEqualTo("invocation_failed");
    assertThat(plain.errorMessage()).isEqualTo("out of stock");
    assertThat(plain.remoteStacktrace()).contains("IllegalStateException");
    IIIException coded = failure(caller.call("fail::coded", null));
    assertThat(coded.code()).isEqualTo("payment_declined");
    assertThat(coded.errorMessage()).isEqualTo("card expired");
    assertThat(failure(caller.call("fail::async", null)).errorMessage()).isEqualTo("late failure");
  }

  @Test
  void callerTimeoutEndsTheCallAndALateResultIsIgnored() throws Exception {
    III provider = client("provider");
    CountDownLatch release = new CountDownLatch(1);
    provider.registerFunction(
        "slow::op",
        input -> {
          release.await(10, TimeUnit.SECONDS);
          return "late";
        });
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());

    IIIException error = failure(caller.call("slow::op", null, Duration.ofMillis(200)));
    release.countDown();

    assertThat(error.code()).isEqualTo("timeout");
    assertThat(error.getMessage()).contains("slow::op").contains("200 ms");
    // The client keeps working after the late result arrives.
    provider.registerFunction("fast::op", input -> "ok");
    await()
        .atMost(WAIT)
        .until(
            () ->
                caller.listFunctions().get().stream()
                    .anyMatch(f -> f.functionId().equals("fast::op")));
    assertThat(get(caller.call("fast::op", null))).isEqualTo("ok");
  }

  @Test
  void handlerWorkerDisconnectingMidCallStopsTheInvocation() throws Exception {
    III provider = client("provider");
    CountDownLatch started = new CountDownLatch(1);
    provider.registerFunction(
        "hang::forever",
        input -> {
          started.countDown();
          new CountDownLatch(1).await(20, TimeUnit.SECONDS);
          return null;
        });
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());

    CompletableFuture<Object> call = caller.call("hang::forever", null);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    provider.close();

    IIIException error = failure(call);
    assertThat(error.code()).isEqualTo("invocation_stopped");
    assertThat(error.errorMessage()).isEqualTo("Invocation stopped");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(get(caller.listFunctions()))
                    .extracting(FunctionInfo::functionId)
                    .doesNotContain("hang::forever"));
  }

  @Test
  void unregisteredFunctionsDisappear() throws Exception {
    III provider = client("provider");
    FunctionRef ref =
        provider.registerFunction("temp::fn", input -> "here", "temporary", Map.of("v", 1));
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(get(caller.listFunctions()))
                    // v0.22 rows also name the providing worker
                    .contains(
                        new FunctionInfo(
                            "temp::fn",
                            "provider",
                            "temporary",
                            null,
                            null,
                            Map.of("v", 1),
                            null)));

    ref.unregister();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(failure(caller.call("temp::fn", null)).code())
                    .isEqualTo("function_not_found"));
  }

  @Test
  void listWorkersShowsMetadataOfEachWorker() throws Exception {
    III provider = client("inventory-worker");
    provider.registerFunction("inventory::count", input -> 3);
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              WorkerInfo worker =
                  get(caller.listWorkers()).stream()
                      .filter(w -> w.id().equals(provider.workerId().orElseThrow()))
                      .findFirst()
                      .orElseThrow();
              assertThat(worker.name()).isEqualTo("inventory-worker");
              assertThat(worker.runtime()).isEqualTo("java");
              assertThat(worker.version()).isNotBlank();
              assertThat(worker.pid()).isEqualTo(ProcessHandle.current().pid());
              assertThat(worker.status()).isEqualTo("connected");
              assertThat(worker.functions()).containsExactly("inventory::count");
              assertThat(worker.functionCount()).isEqualTo(1);
              assertThat(worker.ipAddress()).isEqualTo("127.0.0.1");
            });
  }

  @Test
  void workerMetricsReachTheEngineUnlessDisabled() throws Exception {
    III reporting = client("reporting");
    get(reporting.connect());
    III quiet =
        new III(engine.wsUrl(), InitOptions.builder().enableMetricsReporting(false).build());
    clients.add(quiet);
    get(quiet.connect());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, Object> metrics =
                  workerById(quiet, reporting.workerId().orElseThrow()).latestMetrics();
              assertThat(metrics).isNotNull();
              assertThat(((Number) metrics.get("memory_heap_used")).longValue()).isPositive();
              assertThat(((Number) metrics.get("uptime_seconds")).longValue()).isNotNegative();
              assertThat(metrics).containsEntry("runtime", "java").containsKey("timestamp_ms");
            });
    assertThat(workerById(reporting, quiet.workerId().orElseThrow()).latestMetrics()).isNull();
  }

  private static WorkerInfo workerById(III asker, String id) throws Exception {
    return get(asker.listWorkers()).stream()
        .filter(w -> w.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void onFunctionsAvailableReportsChanges() throws Exception {
    III watcher = client("watcher");
    List<List<String>> seen = new CopyOnWriteArrayList<>();
    Runnable unsubscribe =
        watcher.onFunctionsAvailable(
            functions -> seen.add(functions.stream().map(FunctionInfo::functionId).toList()));
    get(watcher.connect());
    III provider = client("provider");
    get(provider.connect());

    provider.registerFunction("new::fn", input -> null);

    await().atMost(WAIT).until(() -> seen.stream().anyMatch(ids -> ids.contains("new::fn")));
    unsubscribe.run();
    int before = seen.size();
    provider.registerFunction("later::fn", input -> null);
    // A barrier: once the watcher sees later::fn through a call, any event would have arrived.
    await()
        .atMost(WAIT)
        .until(
            () ->
                watcher.listFunctions().get().stream()
                    .anyMatch(f -> f.functionId().equals("later::fn")));
    assertThat(seen.size()).isEqualTo(before);
  }

  @Test
  void servicesAreAcceptedAndTheConnectionStaysUsable() throws Exception {
    III provider = client("provider");
    provider.registerService("billing", "Billing functions", null);
    provider.registerService("billing.invoices", null, "billing");
    provider.registerFunction("billing::total", input -> 10);
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());

    assertThat(get(caller.call("billing::total", null))).isEqualTo(10);
  }

  @Test
  void dataOverTheEnginesFrameLimitFailsAtOnce() throws Exception {
    III caller = client("caller");
    get(caller.connect());

    IIIException error = failure(caller.call("any::fn", "x".repeat(17 * 1024 * 1024)));

    assertThat(error.code()).isEqualTo("payload_too_large");
    assertThatThrownBy(() -> caller.callVoid("any::fn", "x".repeat(17 * 1024 * 1024)))
        .isInstanceOf(IIIException.class)
        .hasMessageContaining("payload_too_large");
  }

  @Test
  void multiMegabytePayloadsTravelBothWays() throws Exception {
    III provider = client("provider");
    provider.registerFunction("echo::big", input -> ((Map<?, ?>) input).get("blob") + "!");
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());
    String blob = "x".repeat(6 * 1024 * 1024);

    Object result = get(caller.call("echo::big", Map.of("blob", blob)));

    assertThat((String) result).hasSize(blob.length() + 1).endsWith("x!");
  }

  @Test
  void engineRestartReRegistersEverythingAutomatically() throws Exception {
    III provider = client("provider");
    provider.registerFunction("durable::fn", input -> "still here");
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    provider.onConnectionStateChange(states::add);
    String firstWorkerId = provider.workerId().orElseThrow();
    int port = engine.port();

    engine.close();
    await().atMost(WAIT).until(() -> provider.getConnectionState() == ConnectionState.RECONNECTING);
    engine = EmbeddedEngine.builder().port(port).httpPort(0).streamPort(0).build().start();

    await()
        .atMost(WAIT)
        .until(
            () ->
                provider.getConnectionState() == ConnectionState.CONNECTED
                    && caller.getConnectionState() == ConnectionState.CONNECTED);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(get(caller.call("durable::fn", null))).isEqualTo("still here"));
    assertThat(provider.workerId()).isPresent().get().isNotEqualTo(firstWorkerId);
    assertThat(states)
        .containsSubsequence(
            ConnectionState.CONNECTED, ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
  }

  @Test
  void callsMadeWhileTheEngineIsDownAreSentAfterReconnect() throws Exception {
    III provider = client("provider");
    provider.registerFunction("queued::fn", input -> "delivered");
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());
    int port = engine.port();
    engine.close();
    await().atMost(WAIT).until(() -> caller.getConnectionState() == ConnectionState.RECONNECTING);

    CompletableFuture<Object> call = caller.call("queued::fn", null);
    engine = EmbeddedEngine.builder().port(port).httpPort(0).streamPort(0).build().start();

    // The queued call may reach the engine before the provider re-registers; then it is not found.
    Object outcome;
    try {
      outcome = get(call);
    } catch (ExecutionException e) {
      outcome = ((IIIException) e.getCause()).code();
    }
    assertThat(outcome).isIn("delivered", "function_not_found");
  }

  @Test
  void pendingCallsFailFastWhenTheEngineGoesAway() throws Exception {
    III provider = client("provider");
    CountDownLatch started = new CountDownLatch(1);
    provider.registerFunction(
        "hang::engine",
        input -> {
          started.countDown();
          new CountDownLatch(1).await(20, TimeUnit.SECONDS);
          return null;
        });
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());
    CompletableFuture<Object> call = caller.call("hang::engine", null, Duration.ofSeconds(30));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    engine.close();
    IIIException error = failure(call);

    assertThat(error.code()).isIn("connection_lost", "invocation_stopped");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void shutdownFailsPendingCallsAndLaterCalls() throws Exception {
    III provider = client("provider");
    provider.registerFunction(
        "hang::shutdown",
        input -> {
          new CountDownLatch(1).await(20, TimeUnit.SECONDS);
          return null;
        });
    get(provider.connect());
    III caller = client("caller");
    get(caller.connect());
    CompletableFuture<Object> call = caller.call("hang::shutdown", null);

    get(caller.shutdown());

    assertThat(failure(call).code()).isEqualTo("shutdown");
    assertThat(failure(caller.call("hang::shutdown", null)).code()).isEqualTo("shutdown");
    assertThat(caller.getConnectionState()).isEqualTo(ConnectionState.DISCONNECTED);
    assertThatThrownBy(() -> caller.callVoid("x::y", null)).isInstanceOf(IIIException.class);
  }

  @Test
  void aResultOverTheEnginesFrameLimitFailsOnlyItsOwnCallAndTheWorkerStays() throws Exception {
    // Reliability finding D5: a 17 MiB result used to drop the worker's connection, and the
    // engine answered the other 20 invocations running on it invocation_stopped.
    CountDownLatch running = new CountDownLatch(20);
    CountDownLatch release = new CountDownLatch(1);
    III provider = client("provider");
    provider.registerFunction("big::result", input -> "x".repeat(17 * 1024 * 1024));
    provider.registerFunction(
        "slow::echo",
        input -> {
          running.countDown();
          release.await(30, TimeUnit.SECONDS);
          return ((Map<?, ?>) input).get("i");
        });
    get(provider.connect());
    String workerId = provider.workerId().orElseThrow();
    III caller = connected("caller");
    List<CompletableFuture<Object>> others = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 20; i++) {
      others.add(caller.call("slow::echo", Map.of("i", i)));
    }
    assertThat(running.await(15, TimeUnit.SECONDS)).isTrue();

    IIIException tooLarge = failure(caller.call("big::result", null));
    release.countDown();

    assertThat(tooLarge.code()).isEqualTo(IIIException.PAYLOAD_TOO_LARGE);
    assertThat(tooLarge.errorMessage()).contains("big::result", "16 MiB");
    for (int i = 0; i < 20; i++) {
      assertThat(get(others.get(i))).isEqualTo(i);
    }
    assertThat(provider.workerId()).contains(workerId);
    assertThat(provider.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
  }
}
