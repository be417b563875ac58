package dev.iii.bench;

import dev.iii.EnqueueResult;
import dev.iii.III;
import dev.iii.InitOptions;
import dev.iii.TriggerAction;
import dev.iii.TriggerRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The iii-core load process of the {@code modules} benchmark: keeps N operations of one engine
 * module in flight ({@link AsyncLoad}) and speaks {@link LoadProtocol} on stdin/stdout. {@code
 * node/modules.mjs} does the same with the official Node SDK.
 *
 * <pre>
 * java -cp iii-benchmarks.jar dev.iii.bench.BenchmarkMain modules load --url ws://… --op state|publish|enqueue
 * </pre>
 *
 * <ul>
 *   <li>{@code state}: one operation = {@code state::set} of the payload under a key, then {@code
 *       state::get} of that key (two engine calls); the value read back is checked.
 *   <li>{@code publish}: one operation = {@code publish} of the payload (plus a {@code seq} field)
 *       on this process's topic, completed when this process's {@code subscribe} function receives
 *       it.
 *   <li>{@code enqueue}: one operation = a call with {@code TriggerAction.enqueue("bench")} to this
 *       process's job function, completed when that function runs the job.
 * </ul>
 *
 * <p>Thread-safe: operations are started by {@link AsyncLoad} callbacks and completed by the SDK's
 * handler threads; the pending operations are a concurrent map holding at most the in-flight window
 * (each entry also times out after {@link #OP_TIMEOUT}).
 */
final class ModuleLoad {

  /** The queue the benchmark's engine config declares (concurrency 64). */
  static final String QUEUE = "bench";

  /** An operation not completed by then fails (a lost event or job). */
  private static final Duration OP_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final III iii;
  private final String tag;
  private final Map<String, Object> payload = Payload.asMap();
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentHashMap<Long, CompletableFuture<@Nullable Object>> pending =
      new ConcurrentHashMap<>();

  private ModuleLoad(III iii, String tag) {
    this.iii = iii;
    this.tag = tag;
  }

  static void run(RoleArguments args) throws IOException, InterruptedException {
    String op = args.required("op");
    III iii =
        new III(
            args.required("url"),
            InitOptions.builder()
                .workerName("bench-java-modules-" + op)
                .enableMetricsReporting(false)
                .build());
    iii.connect().join();
    ModuleLoad load = new ModuleLoad(iii, "java-" + ProcessHandle.current().pid());
    Supplier<CompletableFuture<?>> operation =
        switch (op) {
          case "state" -> load::stateSetGet;
          case "publish" -> load.publishOperation();
          case "enqueue" -> load.enqueueOperation();
          default -> throw new IllegalArgumentException("--op must be state, publish or enqueue");
        };
    awaitFirst(operation, op);
    CallStats stats = new CallStats();
    LoadProtocol.serve(new AsyncLoad(operation, Payload::isEcho, stats), stats);
    iii.close();
  }

  /** {@code state::set} then {@code state::get} of the same key; completes with the value read. */
  private CompletableFuture<?> stateSetGet() {
    String scope = "bench-" + tag;
    String key = "k" + (sequence.incrementAndGet() % 1024);
    return iii.call("state::set", Map.of("scope", scope, "key", key, "value", payload))
        .thenCompose(set -> iii.call("state::get", Map.of("scope", scope, "key", key)));
  }

  /** Registers the subscriber; each operation publishes one event and waits for its delivery. */
  private Supplier<CompletableFuture<?>> publishOperation() {
    String topic = "bench.events." + tag;
    String function = "bench::on-event::" + tag;
    iii.registerFunction(function, this::received);
    iii.registerTrigger("subscribe", function, Map.of("topic", topic));
    return () -> {
      long seq = sequence.incrementAndGet();
      CompletableFuture<@Nullable Object> delivered = expect(seq);
      iii.publish(topic, numbered(seq)).whenComplete((ok, error) -> failIf(delivered, error));
      return delivered;
    };
  }

  /** Registers the job function; each operation enqueues one job and waits until it has run. */
  private Supplier<CompletableFuture<?>> enqueueOperation() {
    String function = "bench::job::" + tag;
    iii.registerFunction(function, this::received);
    return () -> {
      long seq = sequence.incrementAndGet();
      CompletableFuture<@Nullable Object> processed = expect(seq);
      iii.trigger(
              TriggerRequest.of(function, numbered(seq)).withAction(TriggerAction.enqueue(QUEUE)),
              EnqueueResult.class)
          .whenComplete((receipt, error) -> failIf(processed, error));
      return processed;
    };
  }

  /**
   * The subscriber's or job's handler: completes the operation named by the event's {@code seq}.
   */
  private @Nullable Object received(@Nullable Object event) {
    if (event instanceof Map<?, ?> map && map.get("seq") instanceof Number seq) {
      CompletableFuture<@Nullable Object> operation = pending.remove(seq.longValue());
      if (operation != null) {
        operation.complete(event);
      }
    } else {
      System.err.println("unexpected event: " + event);
    }
    return null;
  }

  private CompletableFuture<@Nullable Object> expect(long seq) {
    CompletableFuture<@Nullable Object> operation = new CompletableFuture<>();
    pending.put(seq, operation);
    operation
        .orTimeout(OP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .whenComplete((result, error) -> pending.remove(seq));
    return operation;
  }

  private static void failIf(CompletableFuture<@Nullable Object> operation, @Nullable Throwable e) {
    if (e != null) {
      operation.completeExceptionally(e);
    }
  }

  /** The payload with {@code seq} added (what the subscriber or job gets). */
  private Map<String, Object> numbered(long seq) {
    Map<String, Object> event = new LinkedHashMap<>(payload);
    event.put("seq", seq);
    return event;
  }

  /**
   * Runs operations until one succeeds (the subscription may not be in place yet), at most 30 s.
   */
  private static void awaitFirst(Supplier<CompletableFuture<?>> operation, String op)
      throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        Object result = operation.get().get(5, TimeUnit.SECONDS);
        if (Payload.isEcho(result)) {
          return;
        }
        last = new IllegalStateException("unexpected result: " + result);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        op + " did not complete within " + READY_TIMEOUT.toSeconds() + " s", last);
  }
}
