package dev.iii.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.CallInterceptor;
import dev.iii.IIIException;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.RawJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PendingCalls} without a socket: how calls end, once each, and on which threads. */
class PendingCallsTest {

  private static final Duration LONG = Duration.ofMinutes(5);

  private final ExecutorService callbacks =
      Executors.newCachedThreadPool(new DaemonThreads("test-callback"));
  private final PendingCalls calls = new PendingCalls(callbacks);

  @AfterEach
  void stop() {
    callbacks.shutdownNow();
  }

  @Test
  void aContinuationThatBlocksOnAnotherCallOfTheSameBatchDoesNotDeadlock() throws Exception {
    PendingCall<Object> first = add("first");
    PendingCall<Object> second = add("second");
    // A user stage on the first call waits for the second, whose result came in the same read.
    CompletableFuture<Object> combined =
        first.future().thenApply(a -> a + "+" + second.future().join());

    PendingCalls.Batch batch = calls.newBatch();
    calls.onResult(
        InvocationResult.success(first.invocationId, "f", RawJson.parse("\"a\"")), batch);
    calls.onResult(
        InvocationResult.success(second.invocationId, "f", RawJson.parse("\"b\"")), batch);
    batch.flush();

    assertThat(combined.get(10, TimeUnit.SECONDS)).isEqualTo("a+b");
  }

  @Test
  void aBatchCompletesOnACallbackThreadNotTheReadingOne() throws Exception {
    PendingCall<Object> call = add("call");
    List<String> threads = new CopyOnWriteArrayList<>();
    CompletableFuture<Object> seen =
        call.future()
            .thenApply(
                value -> {
                  threads.add(Thread.currentThread().getName());
                  return value;
                });

    PendingCalls.Batch batch = calls.newBatch();
    calls.onResult(InvocationResult.success(call.invocationId, "f", RawJson.parse("1")), batch);
    assertThat(call.future()).isNotDone(); // nothing completes before the read is over
    batch.flush();

    assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(threads).singleElement().asString().startsWith("test-callback");
  }

  @Test
  void tasksOfAReadRunOnACallbackThreadBeforeItsCallsComplete() throws Exception {
    PendingCall<Object> call = add("call");
    CompletableFuture<Void> refused = new CompletableFuture<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    CompletableFuture<Boolean> refusedFirst =
        call.future().thenApply(value -> refused.isCompletedExceptionally());

    PendingCalls.Batch batch = calls.newBatch();
    batch.execute(
        () -> {
          threads.add(Thread.currentThread().getName());
          refused.completeExceptionally(new IIIException("refused", "no"));
        });
    calls.onResult(InvocationResult.success(call.invocationId, "f", RawJson.parse("1")), batch);
    assertThat(refused).isNotDone(); // nothing runs before the read is over
    batch.flush();

    assertThat(refusedFirst.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).singleElement().asString().startsWith("test-callback");
  }

  /**
   * Transports that report every message as a read of its own put a refusal and the next result in
   * two batches, whose completions may run in either order: the later one runs the refusal first.
   */
  @Test
  void aTaskOfAnEarlierReadRunsBeforeTheCallsOfALaterReadWhicheverRunsFirst() {
    List<Runnable> queued = new ArrayList<>();
    PendingCalls manual = new PendingCalls(queued::add);
    PendingCall<Object> call =
        manual.add(
            InvocationIds.random(),
            "fn::call",
            LONG,
            CallInterceptor.Completion.NONE,
            result -> result == null ? null : result.read(RawJsonMapper.MAPPER, Object.class));
    CompletableFuture<Void> refused = new CompletableFuture<>();
    AtomicInteger refusals = new AtomicInteger();
    CompletableFuture<Boolean> refusedFirst =
        call.future().thenApply(value -> refused.isCompletedExceptionally());
    PendingCalls.Batch batch = manual.newBatch();

    batch.execute(
        () -> {
          refusals.incrementAndGet();
          refused.completeExceptionally(new IIIException("refused", "no"));
        });
    batch.flush(); // read 1: the refusal
    manual.onResult(InvocationResult.success(call.invocationId, "f", RawJson.parse("1")), batch);
    batch.flush(); // read 2: the result
    assertThat(queued).hasSize(2);

    queued.get(1).run(); // read 2's completions come first
    assertThat(refusedFirst).isCompletedWithValue(true);
    queued.get(0).run();
    assertThat(refused).isCompletedExceptionally();

    // Finished: a later read does not run it again.
    int runs = refusals.get();
    PendingCall<Object> later =
        manual.add(
            InvocationIds.random(),
            "fn::later",
            LONG,
            CallInterceptor.Completion.NONE,
            result -> result == null ? null : result.read(RawJsonMapper.MAPPER, Object.class));
    manual.onResult(InvocationResult.success(later.invocationId, "f", RawJson.parse("2")), batch);
    batch.flush();
    queued.get(2).run();
    assertThat(later.future()).isCompletedWithValue(2);
    assertThat(refusals).hasValue(runs);
  }

  @Test
  void aReadWithTasksAndNoResultsStillRunsThem() throws Exception {
    CompletableFuture<String> ran = new CompletableFuture<>();
    PendingCalls.Batch batch = calls.newBatch();
    batch.execute(() -> ran.complete(Thread.currentThread().getName()));

    batch.flush();

    assertThat(ran.get(10, TimeUnit.SECONDS)).startsWith("test-callback");
  }

  @Test
  void aCallEndsOnceWhateverEndsItFirst() throws Exception {
    List<Throwable> completions = new CopyOnWriteArrayList<>();
    PendingCall<Object> call =
        calls.add(InvocationIds.random(), "f", LONG, completions::add, result -> result);

    assertThat(calls.fail(call, new IIIException(IIIException.CONNECTION_LOST, "gone"))).isTrue();
    assertThat(calls.fail(call, new IIIException(IIIException.TIMEOUT, "late"))).isFalse();
    PendingCalls.Batch batch = calls.newBatch();
    calls.onResult(InvocationResult.success(call.invocationId, "f", RawJson.parse("1")), batch);
    batch.flush();

    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> call.future().get(10, TimeUnit.SECONDS));
    assertThat(failure.getCause()).isInstanceOf(IIIException.class);
    assertThat(((IIIException) failure.getCause()).code()).isEqualTo("connection_lost");
    assertThat(completions).hasSize(1);
    assertThat(calls.size()).isZero();
  }

  @Test
  void aCallTimesOutAndLeavesNothingBehind() {
    PendingCall<Object> call =
        calls.add(
            InvocationIds.random(),
            "slow::fn",
            Duration.ofMillis(50),
            CallInterceptor.Completion.NONE,
            result -> result);

    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> call.future().get(10, TimeUnit.SECONDS));

    assertThat(((IIIException) failure.getCause()).code()).isEqualTo("timeout");
    assertThat(((IIIException) failure.getCause()).functionId()).isEqualTo("slow::fn");
    assertThat(calls.size()).isZero();
  }

  @Test
  void aResultThatCannotBeReadFailsTheCall() {
    PendingCall<Object> call =
        calls.add(
            InvocationIds.random(),
            "f",
            LONG,
            CallInterceptor.Completion.NONE,
            result -> {
              throw new IIIException(IIIException.INVALID_RESULT, "not a number");
            });

    PendingCalls.Batch batch = calls.newBatch();
    calls.onResult(InvocationResult.success(call.invocationId, "f", RawJson.parse("\"x\"")), batch);
    batch.flush();

    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> call.future().get(10, TimeUnit.SECONDS));
    assertThat(((IIIException) failure.getCause()).code()).isEqualTo("invalid_result");
  }

  private PendingCall<Object> add(String name) {
    return calls.add(
        InvocationIds.random(),
        "fn::" + name,
        LONG,
        CallInterceptor.Completion.NONE,
        result -> result == null ? null : result.read(RawJsonMapper.MAPPER, Object.class));
  }

  /** A plain mapper for reading results in these tests. */
  private static final class RawJsonMapper {
    static final tools.jackson.databind.json.JsonMapper MAPPER =
        tools.jackson.databind.json.JsonMapper.builder().build();
  }
}
