package dev.iii.engine.modules.queue;

import dev.iii.engine.config.QueueConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.registry.InvocationError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code iii-queue} worker of the official engine: named queues from {@code queue_configs}
 * (with the always-present {@code default}), fed by {@code TriggerAction.Enqueue} through the
 * {@value #ENQUEUE_FUNCTION} provider function; durable topics ({@value DurableTopics#PUBLISH} and
 * the {@value DurableTopics#TRIGGER_TYPE} trigger type); dead letters with redrive and discard; an
 * in-memory or file-based store. The functions are in {@link QueueFunctions} and {@link
 * DurableTopics}; this class owns the queues, the timer and the store.
 *
 * <p>Concurrency: the named-queue map is filled at start and then only read; each {@link JobQueue}
 * guards itself; the timer and clock are immutable.
 */
public final class QueueModule implements EngineModule {

  /** The in-process worker name the module is listed under. */
  public static final String NAME = "iii-queue";

  /** The official description. */
  public static final String DESCRIPTION =
      "Async job processing with named queues, retries, and dead-letter support.";

  /** The provider function the engine calls for {@code TriggerAction.Enqueue}. */
  public static final String ENQUEUE_FUNCTION = "engine::queue::enqueue";

  /** The official prefix of a named queue's store key ({@code __fn_queue::<name>}). */
  static final String NAMED_PREFIX = "__fn_queue::";

  private static final Logger log = LoggerFactory.getLogger(QueueModule.class);

  /** Where retries wait, and the clock dead letters are stamped with; injectable for tests. */
  public interface Timer {

    /** Runs {@code task} after {@code delayMs} milliseconds. Must not block. */
    void schedule(Runnable task, long delayMs);

    /** Epoch milliseconds. */
    long now();
  }

  private final QueueConfig config;
  private final @Nullable Timer injectedTimer;
  private final Map<String, JobQueue> named = new LinkedHashMap<>();
  private @Nullable ModuleContext context;
  private @Nullable Timer timer;
  private @Nullable QueueStore store;
  private @Nullable ScheduledFuture<?> saver;
  private @Nullable DurableTopics topics;

  /** A module with these settings; retries wait on the engine scheduler. */
  public QueueModule(QueueConfig config) {
    this(config, null);
  }

  /**
   * A module whose retries wait on {@code timer} ({@code null}: the engine scheduler and the system
   * clock).
   */
  public QueueModule(QueueConfig config, @Nullable Timer timer) {
    this.config = config;
    this.injectedTimer = timer;
  }

  /** The module's settings. */
  public QueueConfig config() {
    return config;
  }

  @Override
  public void start(ModuleContext context) {
    this.context = context;
    this.timer = injectedTimer != null ? injectedTimer : schedulerTimer(context);
    for (Map.Entry<String, QueueConfig.NamedQueue> entry : config.queues().entrySet()) {
      named.put(
          entry.getKey(),
          new JobQueue(
              entry.getKey(), settings(entry.getValue()), host, e -> "function call failed"));
    }
    DurableTopics durable = new DurableTopics(context, host);
    this.topics = durable;
    Map<String, JsonNode> saved = Map.of();
    QueueConfig.Store storeConfig = config.store();
    if (storeConfig.directory() != null) {
      QueueStore fileStore = new QueueStore(storeConfig.directory(), this::snapshot);
      this.store = fileStore;
      saved = fileStore.load();
      saver =
          context
              .scheduler()
              .scheduleWithFixedDelay(
                  fileStore::saveIfDirty,
                  storeConfig.saveIntervalMs(),
                  storeConfig.saveIntervalMs(),
                  TimeUnit.MILLISECONDS);
    }
    for (Map.Entry<String, JsonNode> entry : saved.entrySet()) {
      restore(entry.getKey(), entry.getValue(), durable);
    }
    new QueueFunctions(this, durable).register(context);
    durable.register();
    named.forEach((name, queue) -> queue.activate(queue.settings()));
    log.info("Queue module: named queues {}", named.keySet());
  }

  private void restore(String key, JsonNode saved, DurableTopics durable) {
    if (key.startsWith(NAMED_PREFIX)) {
      JobQueue queue = named.get(key.substring(NAMED_PREFIX.length()));
      if (queue == null) {
        log.warn(
            "Queue store: queue {} is no longer configured; its saved messages are dropped",
            key.substring(NAMED_PREFIX.length()));
        return;
      }
      queue.restore(saved);
    } else {
      durable.restore(saved);
    }
  }

  private ObjectNode snapshot() {
    ObjectNode all = JsonNodeFactory.instance.objectNode();
    named.forEach((name, queue) -> all.set(NAMED_PREFIX + name, queue.snapshot()));
    DurableTopics durable = topics;
    if (durable != null) {
      durable.snapshot(all);
    }
    return all;
  }

  static JobQueue.Settings settings(QueueConfig.NamedQueue queue) {
    return new JobQueue.Settings(
        queue.maxRetries(), queue.backoffMs(), queue.concurrency(), queue.fifo());
  }

  /** The named queue, or {@code null}. */
  @Nullable JobQueue named(String name) {
    return named.get(name);
  }

  Map<String, JobQueue> namedQueues() {
    return named;
  }

  /**
   * Queues a call on a named queue, with the official checks and messages.
   *
   * @throws InvocationError {@code queue_not_found}, {@code invalid_message} or {@code queue_full}
   */
  void enqueue(
      String queueName,
      String functionId,
      JsonNode data,
      String receiptId,
      @Nullable String traceparent,
      @Nullable String baggage) {
    JobQueue queue = named.get(queueName);
    QueueConfig.NamedQueue settings = config.queues().get(queueName);
    if (queue == null || settings == null) {
      log.warn(
          "Enqueue for {} on unknown queue {} (known: {})", functionId, queueName, named.keySet());
      throw new InvocationError("queue_not_found", "Queue '" + queueName + "' not found");
    }
    String group = null;
    if (settings.fifo()) {
      String field = settings.messageGroupField();
      JsonNode value = field == null ? null : data.get(field);
      if (value == null) {
        throw new InvocationError(
            "invalid_message",
            "FIFO queue '"
                + queueName
                + "' requires field '"
                + field
                + "' in data, but it was not found");
      }
      if (value.isNull()) {
        throw new InvocationError(
            "invalid_message",
            "FIFO queue '" + queueName + "': field '" + field + "' must not be null");
      }
      group = value.isString() ? value.asString() : value.toString();
    }
    Job job =
        new Job(
            UUID.randomUUID().toString(),
            functionId,
            data,
            0,
            settings.maxRetries(),
            settings.backoffMs(),
            host.now(),
            receiptId,
            group,
            traceparent,
            baggage);
    try {
      queue.offer(job);
    } catch (QueueFullException e) {
      log.warn("Enqueue for {} refused: {}", functionId, e.getMessage());
      throw new InvocationError("queue_full", String.valueOf(e.getMessage()));
    }
  }

  private final JobQueue.Host host =
      new JobQueue.Host() {
        @Override
        public CompletionStage<?> deliver(JobQueue queue, Job job) {
          DurableTopics durable = topics;
          if (durable != null && durable.owns(queue)) {
            return durable.deliver(queue, job);
          }
          return context().invocations().call(job.functionId(), job.data());
        }

        @Override
        public void schedule(Runnable task, long delayMs) {
          timer().schedule(task, delayMs);
        }

        @Override
        public long now() {
          return timer().now();
        }

        @Override
        public void changed() {
          QueueStore current = store;
          if (current != null) {
            current.markDirty();
          }
        }
      };

  private static Timer schedulerTimer(ModuleContext context) {
    return new Timer() {
      @Override
      public void schedule(Runnable task, long delayMs) {
        try {
          context.scheduler().schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          log.debug("Queue retry not scheduled: the engine is stopping");
        }
      }

      @Override
      public long now() {
        return System.currentTimeMillis();
      }
    };
  }

  private Timer timer() {
    Timer current = timer;
    if (current == null) {
      throw new IllegalStateException("the queue module is not started");
    }
    return current;
  }

  private ModuleContext context() {
    ModuleContext current = context;
    if (current == null) {
      throw new IllegalStateException("the queue module is not started");
    }
    return current;
  }

  /** Every queue a dead-letter call may name: the named queue, else the topic's queues. */
  List<JobQueue> resolve(String queueOrTopic) {
    JobQueue queue = named.get(queueOrTopic);
    if (queue != null) {
      return List.of(queue);
    }
    DurableTopics durable = topics;
    return durable == null ? List.of() : durable.queuesOf(queueOrTopic);
  }

  @Override
  public void close() {
    ScheduledFuture<?> timerTask = saver;
    if (timerTask != null) {
      timerTask.cancel(false);
    }
    List<JobQueue> all = new ArrayList<>(named.values());
    DurableTopics durable = topics;
    if (durable != null) {
      all.addAll(durable.allQueues());
    }
    all.forEach(JobQueue::close);
    QueueStore fileStore = store;
    if (fileStore != null) {
      fileStore.close();
    }
  }

  static CompletableFuture<@Nullable JsonNode> done(@Nullable JsonNode result) {
    return CompletableFuture.completedFuture(result);
  }
}
