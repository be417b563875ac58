package dev.iii.engine.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.Worker;
import dev.iii.engine.registry.WorkerOutbound;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.Message;
import dev.iii.protocol.RawJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine forgets an invocation nobody answers after the invocation timeout: on a test clock, so
 * nothing depends on the machine's speed.
 */
class InvocationTimeoutTest {

  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final FunctionRegistry functions = new FunctionRegistry();
  private final InvocationRouter router =
      new InvocationRouter(functions, new TriggerRegistry(), TIMEOUT, now::get);
  private final Outbox callerOut = new Outbox();
  private final Outbox handlerOut = new Outbox();
  private final Worker caller = new Worker("127.0.0.1", callerOut);
  private final Worker handler = new Worker("127.0.0.1", handlerOut);

  /** Records what the engine sends a worker. */
  private static final class Outbox implements WorkerOutbound {
    final ConcurrentLinkedQueue<Message> sent = new ConcurrentLinkedQueue<>();

    @Override
    public boolean send(Message message) {
      sent.add(message);
      return true;
    }

    @Override
    public CompletionStage<Void> retire() {
      return CompletableFuture.completedFuture(null);
    }
  }

  private void registerNeverAnswering(String functionId) {
    functions.register(new RegisteredFunction(functionId, null, null, null, null, handler, null));
  }

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  @Test
  void abandonedInvocationsEndWithTimeoutAndNothingIsLeftBehind() {
    registerNeverAnswering("b::never");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String id = InvocationIds.random();
      ids.add(id);
      router.forward(id, "b::never", RawJson.EMPTY_OBJECT, null, null, null, caller, true);
    }
    assertThat(handlerOut.sent).hasSize(1000).allMatch(m -> m instanceof InvokeFunction);

    advance(TIMEOUT.minusNanos(1));
    assertThat(router.expireOverdue()).isZero();
    assertThat(router.pendingCount()).isEqualTo(1000);
    assertThat(callerOut.sent).isEmpty();

    advance(Duration.ofNanos(1));
    assertThat(router.expireOverdue()).isEqualTo(1000);

    assertThat(router.pendingCount()).isZero();
    assertThat(router.activeInvocations(caller)).isZero();
    assertThat(router.activeInvocations(handler)).isZero();
    assertThat(callerOut.sent).hasSize(1000);
    List<String> answered = new ArrayList<>();
    for (Message message : callerOut.sent) {
      InvocationResult result = (InvocationResult) message;
      answered.add(result.invocationId());
      assertThat(result.functionId()).isEqualTo("b::never");
      assertThat(result.error()).isNotNull();
      assertThat(result.error().code()).isEqualTo("timeout");
      assertThat(result.error().message()).contains("b::never").contains("300 ms");
    }
    assertThat(answered).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void aLateResultIsDroppedQuietly() {
    registerNeverAnswering("b::late");
    String id = InvocationIds.random();
    router.forward(id, "b::late", RawJson.EMPTY_OBJECT, null, null, null, caller, true);
    advance(TIMEOUT);
    router.expireOverdue();
    callerOut.sent.clear();

    router.onResult(new InvocationResult(id, "b::late", RawJson.parse("1"), null, null, null));

    assertThat(callerOut.sent).isEmpty();
    assertThat(router.pendingCount()).isZero();
  }

  @Test
  void onlyOverdueInvocationsEnd() {
    registerNeverAnswering("b::never");
    router.forward(
        InvocationIds.random(), "b::never", RawJson.EMPTY_OBJECT, null, null, null, caller, true);
    advance(TIMEOUT.dividedBy(2));
    String younger = InvocationIds.random();
    router.forward(younger, "b::never", RawJson.EMPTY_OBJECT, null, null, null, caller, true);
    advance(TIMEOUT.dividedBy(2));

    assertThat(router.expireOverdue()).isEqualTo(1);

    assertThat(router.pendingCount()).isEqualTo(1);
    router.onResult(
        new InvocationResult(younger, "b::never", RawJson.parse("2"), null, null, null));
    assertThat(callerOut.sent)
        .last()
        .satisfies(m -> assertThat(((InvocationResult) m).result()).isNotNull());
  }

  @Test
  void fireAndForgetCallsAndEngineCallsAreForgottenToo() throws InterruptedException {
    registerNeverAnswering("b::never");
    router.forward(
        InvocationIds.random(), "b::never", RawJson.EMPTY_OBJECT, null, null, null, caller, false);
    CompletableFuture<?> engineCall =
        router.call("b::never", JsonMapper.builder().build().createObjectNode());
    assertThat(router.pendingCount()).isEqualTo(2);

    advance(TIMEOUT);
    assertThat(router.expireOverdue()).isEqualTo(2);

    assertThat(router.pendingCount()).isZero();
    assertThat(callerOut.sent).isEmpty();
    assertThat(engineCall).isCompletedExceptionally();
    try {
      engineCall.get();
    } catch (ExecutionException e) {
      assertThat(InvocationError.of(e).body().code()).isEqualTo("timeout");
    }
  }
}
