package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.iii.engine.config.QueueConfig;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.channels.ChannelRegistry;
import dev.iii.engine.modules.queue.QueueModule;
import dev.iii.engine.registry.FunctionRegistry;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.RegisteredFunction;
import dev.iii.engine.registry.ServiceRegistry;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerRegistry;
import dev.iii.engine.registry.WorkerRegistry;
import dev.iii.engine.router.InvocationRouter;
import dev.iii.engine.router.MessageRouter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The queue module on its own registries, with a manual timer: enqueue, retries with the official
 * backoff sequence, dead letters, redrive and discard, FIFO order, the concurrency bound, durable
 * topic fan-out and the file-based store across a restart. No sleeps: retries run when the test
 * fires the timer.
 */
class QueueModuleTest {

  /** Retries wait here until the test runs them; delays are recorded. */
  static final class ManualTimer implements QueueModule.Timer {
    final List<Long> delays = new CopyOnWriteArrayList<>();
    final List<Runnable> due = new CopyOnWriteArrayList<>();

    @Override
    public void schedule(Runnable task, long delayMs) {
      delays.add(delayMs);
      due.add(task);
    }

    @Override
    public long now() {
      return 1_700_000_000_000L;
    }

    /** Runs the retries scheduled so far. */
    void fire() {
      List<Runnable> tasks = new ArrayList<>(due);
      due.removeAll(tasks);
      tasks.forEach(Runnable::run);
    }
  }

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private FunctionRegistry functions = new FunctionRegistry();
  private TriggerRegistry triggers = new TriggerRegistry();
  private InvocationRouter invocations = new InvocationRouter(functions, triggers);
  private final ManualTimer timer = new ManualTimer();
  private final List<QueueModule> modules = new ArrayList<>();

  @AfterEach
  void stop() {
    modules.forEach(QueueModule::close);
    scheduler.shutdownNow();
  }

  private QueueModule start(QueueConfig config) {
    WorkerRegistry workers = new WorkerRegistry();
    ModuleContext context =
        new ModuleContext(
            workers,
            functions,
            triggers,
            invocations,
            new MessageRouter(workers, functions, triggers, new ServiceRegistry(), invocations),
            new ChannelRegistry(),
            scheduler);
    QueueModule module = new QueueModule(config, timer);
    module.start(context);
    modules.add(module);
    return module;
  }

  /** A function that records its inputs and answers with the next of {@code outcomes}. */
  private List<JsonNode> function(String id, List<CompletableFuture<@Nullable JsonNode>> pending) {
    List<JsonNode> calls = new CopyOnWriteArrayList<>();
    functions.register(
        RegisteredFunction.builtin(
            id,
            "test",
            input -> {
              calls.add(input);
              CompletableFuture<@Nullable JsonNode> answer = new CompletableFuture<>();
              pending.add(answer);
              return answer;
            }));
    return calls;
  }

  private List<JsonNode> failing(String id, AtomicInteger failuresLeft) {
    List<JsonNode> calls = new CopyOnWriteArrayList<>();
    functions.register(
        RegisteredFunction.builtin(
            id,
            "test",
            input -> {
              calls.add(input);
              if (failuresLeft.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new InvocationError("boom", "failed"));
              }
              return CompletableFuture.completedFuture(null);
            }));
    return calls;
  }

  private @Nullable JsonNode call(String functionId, String json) throws Exception {
    return invocations.call(functionId, parse(json)).get();
  }

  private static JsonNode parse(String singleQuoted) {
    return tools.jackson.databind.json.JsonMapper.builder()
        .build()
        .readTree(singleQuoted.replace('\'', '"'));
  }

  private void enqueue(String queue, String functionId, String data) throws Exception {
    call(
        QueueModule.ENQUEUE_FUNCTION,
        "{'queue':'%s','function_id':'%s','data':%s,'messageReceiptId':'r-1'}"
            .formatted(queue, functionId, data));
  }

  @Test
  void theDefaultQueueExistsWithoutConfigAndDeliversTheData() throws Exception {
    start(QueueConfig.defaults());
    List<JsonNode> calls = failing("job", new AtomicInteger());

    enqueue("default", "job", "{'n':1}");

    await().until(() -> calls.size() == 1);
    assertThat(calls.get(0)).isEqualTo(parse("{'n':1}"));
    assertThat(timer.delays).isEmpty();
  }

  @Test
  void aFailingJobIsRetriedWithExponentialBackoffThenDeadLetteredThenRedriven() throws Exception {
    start(
        QueueConfig.defaults()
            .withQueue("jobs", QueueConfig.NamedQueue.defaults().withRetries(4, 100)));
    AtomicInteger failures = new AtomicInteger(4);
    List<JsonNode> calls = failing("job", failures);

    enqueue("jobs", "job", "{'order':7}");
    for (int retry = 1; retry < 4; retry++) {
      int expected = retry;
      await().until(() -> timer.due.size() == 1 && calls.size() == expected);
      timer.fire();
    }
    await().until(() -> calls.size() == 4);

    // max_retries counts every delivery: 4 deliveries, 3 waits of backoff × 2^(attempt − 1).
    assertThat(timer.delays).containsExactly(100L, 200L, 400L);
    JsonNode letters = call("engine::queue::dlq_messages", "{'queue':'jobs'}");
    assertThat(letters).hasSize(1);
    JsonNode letter = letters.get(0);
    assertThat(letter.path("payload")).isEqualTo(parse("{'order':7}"));
    assertThat(letter.path("retries").asInt()).isEqualTo(4);
    assertThat(letter.path("error").asString()).isEqualTo("function call failed");
    assertThat(letter.path("failed_at").asLong()).isEqualTo(1_700_000_000L);
    assertThat(call("engine::queue::topic_stats", "{'topic':'jobs'}").path("dlq_depth").asInt())
        .isEqualTo(1);

    JsonNode redriven = call("iii::queue::redrive", "{'queue':'jobs'}");
    assertThat(redriven).isEqualTo(parse("{'queue':'jobs','redriven':1}"));
    await().until(() -> calls.size() == 5);
    assertThat(call("engine::queue::dlq_messages", "{'queue':'jobs'}")).isEmpty();
    assertThat(timer.due).isEmpty();
  }

  @Test
  void oneDeadLetterIsRedrivenAndAnotherDiscardedById() throws Exception {
    start(
        QueueConfig.defaults()
            .withQueue("once", QueueConfig.NamedQueue.defaults().withRetries(1, 10)));
    AtomicInteger failures = new AtomicInteger(2);
    List<JsonNode> calls = failing("job", failures);
    enqueue("once", "job", "{'n':1}");
    await().until(() -> calls.size() == 1);
    enqueue("once", "job", "{'n':2}");
    await().until(() -> calls.size() == 2);
    JsonNode letters = call("engine::queue::dlq_messages", "{'topic':'once'}");
    assertThat(letters).hasSize(2);
    // Newest first.
    assertThat(letters.get(0).path("payload").path("n").asInt()).isEqualTo(2);
    String second = letters.get(0).path("id").asString();
    String first = letters.get(1).path("id").asString();

    assertThat(
            call(
                "iii::queue::discard_message",
                "{'queue':'once','message_id':'%s'}".formatted(second)))
        .isEqualTo(parse("{'queue':'once','message_id':'%s','redriven':1}".formatted(second)));
    assertThat(
            call(
                    "iii::queue::redrive_message",
                    "{'queue':'once','message_id':'%s'}".formatted(first))
                .path("redriven")
                .asInt())
        .isEqualTo(1);
    await().until(() -> calls.size() == 3);
    assertThat(calls.get(2)).isEqualTo(parse("{'n':1}"));
    assertThat(
            call(
                    "iii::queue::redrive_message",
                    "{'queue':'once','message_id':'%s'}".formatted(second))
                .path("redriven")
                .asInt())
        .isZero();
    assertThat(call("engine::queue::dlq_messages", "{'topic':'once'}")).isEmpty();
  }

  @Test
  void aFifoQueueDeliversOneAtATimeInOrderAndHoldsTheQueueDuringARetry() throws Exception {
    start(
        QueueConfig.defaults()
            .withQueue(
                "ledger",
                QueueConfig.NamedQueue.fifo("account").withConcurrency(4).withRetries(3, 50)));
    List<CompletableFuture<@Nullable JsonNode>> pending = new CopyOnWriteArrayList<>();
    List<JsonNode> calls = function("post", pending);
    String[] messages = {"a", "b", "a", "a", "b"};
    for (int i = 0; i < messages.length; i++) {
      enqueue("ledger", "post", "{'account':'%s','seq':%d}".formatted(messages[i], i));
    }

    List<Integer> order = new ArrayList<>();
    for (int step = 0; step < 6; step++) {
      int expected = step + 1;
      await().until(() -> pending.size() == expected);
      // Never more than one delivery at a time, though concurrency is 4.
      assertThat(pending.stream().filter(f -> !f.isDone()).count()).isEqualTo(1);
      order.add(calls.get(step).path("seq").asInt());
      if (step == 1) {
        pending.get(step).completeExceptionally(new InvocationError("boom", "once"));
        await().until(() -> timer.due.size() == 1);
        // The retry holds the queue: nothing else is delivered while it waits.
        assertThat(pending).hasSize(2);
        timer.fire();
      } else {
        pending.get(step).complete(null);
      }
    }
    assertThat(order).containsExactly(0, 1, 1, 2, 3, 4);
  }

  @Test
  void aStandardQueueDeliversAtMostItsConcurrencyAtOnce() throws Exception {
    start(
        QueueConfig.defaults()
            .withQueue("q", QueueConfig.NamedQueue.defaults().withConcurrency(2)));
    List<CompletableFuture<@Nullable JsonNode>> pending = new CopyOnWriteArrayList<>();
    function("work", pending);
    for (int i = 0; i < 5; i++) {
      enqueue("q", "work", "{'i':%d}".formatted(i));
    }
    await().until(() -> pending.size() == 2);
    assertThat(call("engine::queue::topic_stats", "{'queue':'q'}").path("depth").asInt())
        .isEqualTo(5);
    pending.get(0).complete(null);
    await().until(() -> pending.size() == 3);
    assertThat(pending.stream().filter(f -> !f.isDone()).count()).isEqualTo(2);
  }

  @Test
  void enqueueRefusesAnUnknownQueueAndAFifoMessageWithoutItsGroup() {
    start(QueueConfig.defaults().withQueue("fifo", QueueConfig.NamedQueue.fifo("account")));
    assertThatThrownBy(() -> enqueue("nope", "f", "{}"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessage("queue_not_found: Queue 'nope' not found");
    assertThatThrownBy(() -> enqueue("fifo", "f", "{'x':1}"))
        .cause()
        .hasMessage(
            "invalid_message: FIFO queue 'fifo' requires field 'account' in data, but it was not found");
    assertThatThrownBy(() -> enqueue("fifo", "f", "{'account':null}"))
        .cause()
        .hasMessage("invalid_message: FIFO queue 'fifo': field 'account' must not be null");
    assertThatThrownBy(() -> call("iii::queue::redrive", "{}"))
        .cause()
        .satisfies(e -> assertThat(((InvocationError) e).body().code()).isEqualTo("queue_not_set"));
  }

  @Test
  void aDurableTopicFansOutToEverySubscribedFunctionWithItsOwnRetries() throws Exception {
    start(QueueConfig.defaults());
    List<JsonNode> audit = failing("audit", new AtomicInteger());
    AtomicInteger mailFailures = new AtomicInteger(1);
    List<JsonNode> mail = failing("mail", mailFailures);
    triggers.register(
        new Trigger("t1", "durable:subscriber", "audit", parse("{'topic':'orders'}"), null));
    triggers.register(
        new Trigger("t2", "durable:subscriber", "audit", parse("{'topic':'orders'}"), null));
    triggers.register(
        new Trigger(
            "t3",
            "durable:subscriber",
            "mail",
            parse("{'topic':'orders','queue_config':{'maxRetries':1,'backoffDelayMs':25}}"),
            null));

    assertThat(call("iii::durable::publish", "{'topic':'orders','data':{'id':1}}")).isNull();

    await().until(() -> audit.size() == 1 && mail.size() == 1 && timer.due.size() == 1);
    assertThat(timer.delays).containsExactly(25L);
    timer.fire();
    await().until(() -> mail.size() == 2);
    // Two triggers of one function share its queue: one copy each.
    assertThat(audit).hasSize(1);
    assertThat(call("engine::queue::list_topics", "{}").get(0))
        .isEqualTo(parse("{'name':'orders','broker_type':'builtin','subscriber_count':3}"));
    assertThatThrownBy(() -> call("iii::durable::publish", "{'data':1}"))
        .cause()
        .satisfies(e -> assertThat(((InvocationError) e).body().code()).isEqualTo("topic_not_set"));
  }

  @Test
  void theFileBasedStoreKeepsWaitingMessagesAndDeadLettersAcrossARestart(@TempDir Path dir)
      throws Exception {
    QueueConfig config =
        QueueConfig.defaults()
            .withQueue(
                "jobs", QueueConfig.NamedQueue.defaults().withRetries(1, 10).withConcurrency(1))
            .withStore(QueueConfig.Store.fileBased(dir, 60_000));
    QueueModule first = start(config);
    List<CompletableFuture<@Nullable JsonNode>> pending = new CopyOnWriteArrayList<>();
    List<JsonNode> calls = function("job", pending);
    enqueue("jobs", "job", "{'n':1}");
    await().until(() -> pending.size() == 1);
    pending.get(0).completeExceptionally(new InvocationError("boom", "dead"));
    enqueue("jobs", "job", "{'n':2}");
    enqueue("jobs", "job", "{'n':3}");
    await().until(() -> pending.size() == 2);
    first.close();
    modules.remove(first);

    // A new engine: fresh registries, the function back before the module starts.
    functions = new FunctionRegistry();
    triggers = new TriggerRegistry();
    invocations = new InvocationRouter(functions, triggers);
    List<CompletableFuture<@Nullable JsonNode>> again = new CopyOnWriteArrayList<>();
    List<JsonNode> delivered = function("job", again);
    start(config);
    await().until(() -> again.size() == 1);
    again.get(0).complete(null);
    await().until(() -> again.size() == 2);
    assertThat(delivered).containsExactly(parse("{'n':2}"), parse("{'n':3}"));
    JsonNode letters = call("engine::queue::dlq_messages", "{'queue':'jobs'}");
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).path("payload")).isEqualTo(parse("{'n':1}"));
    assertThat(calls).hasSize(2);
  }
}
