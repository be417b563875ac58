package dev.iii.engine.modules.queue;

import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.TriggerConditions;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import dev.iii.engine.support.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Durable topics: {@value #PUBLISH} copies a message into one queue per distinct function that a
 * {@value #TRIGGER_TYPE} trigger binds to the topic (fan-out; several triggers of one function
 * share its queue), and each queue delivers with retries and dead letters like a named queue. A
 * trigger's optional {@code queue_config} ({@code maxRetries}, {@code backoffDelayMs}, {@code
 * concurrency}, {@code type}) tunes its queue; the last registered wins, as in the official engine.
 * A queue whose last trigger goes keeps its messages (paused) until a trigger returns; an empty one
 * is dropped.
 *
 * <p>Concurrency: the subscription map is guarded by this object's monitor, held only to look up or
 * change entries, never while delivering.
 */
final class DurableTopics {

  /** The publish function. */
  static final String PUBLISH = "iii::durable::publish";

  /** The trigger type. */
  static final String TRIGGER_TYPE = "durable:subscriber";

  private static final Logger log = LoggerFactory.getLogger(DurableTopics.class);
  private static final RateLimitedLog dropLog = new RateLimitedLog(log, Duration.ofSeconds(10));

  /** The builtin adapter's defaults for a subscriber: 3 attempts, 1 s backoff, 10 at once. */
  private static final JobQueue.Settings DEFAULTS = new JobQueue.Settings(3, 1000, 10, false);

  /** One function's queue of one topic, and the triggers that bind them. */
  private static final class Subscription {
    final String topic;
    final String functionId;
    final JobQueue queue;
    final Set<String> triggerIds = new LinkedHashSet<>();
    @Nullable String conditionFunctionId;

    Subscription(String topic, String functionId, JobQueue queue) {
      this.topic = topic;
      this.functionId = functionId;
      this.queue = queue;
    }
  }

  private final ModuleContext context;
  private final JobQueue.Host host;
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

  DurableTopics(ModuleContext context, JobQueue.Host host) {
    this.context = context;
    this.host = host;
  }

  void register() {
    context.registerFunction(PUBLISH, "Enqueue a message", this::publish);
    context.registerTriggerType(TRIGGER_TYPE, "Queue core module", new Provider());
  }

  private static String key(String topic, String functionId) {
    return topic + "::" + functionId;
  }

  private synchronized Subscription subscription(String topic, String functionId) {
    return subscriptions.computeIfAbsent(
        key(topic, functionId),
        k ->
            new Subscription(
                topic, functionId, new JobQueue(k, DEFAULTS, host, DurableTopics::errorText)));
  }

  private static String errorText(Throwable error) {
    InvocationError failure = InvocationError.of(error);
    return failure.body().code() + ": " + failure.body().message();
  }

  private CompletionStage<@Nullable JsonNode> publish(JsonNode input) {
    JsonNode topicNode = input.path("topic");
    String topic = topicNode.isString() ? topicNode.asString() : "";
    if (topic.isEmpty()) {
      return CompletableFuture.failedFuture(
          new InvocationError("topic_not_set", "Topic is not set"));
    }
    JsonNode data = input.path("data").isMissingNode() ? null : input.get("data");
    List<Subscription> targets;
    synchronized (this) {
      targets =
          subscriptions.values().stream()
              .filter(s -> s.topic.equals(topic) && !s.triggerIds.isEmpty())
              .toList();
    }
    if (targets.isEmpty()) {
      dropLog.warn(
          "no-subscriber:" + topic,
          "Durable topic {} has no subscriber; the message is dropped",
          topic);
    }
    for (Subscription target : targets) {
      JobQueue.Settings settings = target.queue.settings();
      Job job =
          new Job(
              UUID.randomUUID().toString(),
              target.functionId,
              data == null ? JsonNodeFactory.instance.nullNode() : data,
              0,
              settings.maxAttempts(),
              settings.backoffMs(),
              host.now(),
              null,
              null,
              null,
              null);
      try {
        target.queue.offer(job);
      } catch (QueueFullException e) {
        dropLog.warn(
            "full:" + target.queue.name(),
            "Durable topic {}: the message for {} is dropped: {}",
            topic,
            target.functionId,
            e.getMessage());
      }
    }
    return QueueModule.done(null);
  }

  boolean owns(JobQueue queue) {
    synchronized (this) {
      Subscription subscription = subscriptions.get(queue.name());
      return subscription != null && subscription.queue == queue;
    }
  }

  /** Checks the subscription's condition, then calls its function. */
  CompletionStage<?> deliver(JobQueue queue, Job job) {
    String condition;
    synchronized (this) {
      Subscription subscription = subscriptions.get(queue.name());
      condition = subscription == null ? null : subscription.conditionFunctionId;
    }
    if (condition == null) {
      return context.invocations().call(job.functionId(), job.data());
    }
    return context
        .invocations()
        .call(condition, job.data())
        .thenCompose(
            result -> {
              if (result != null && result.isBoolean() && !result.booleanValue()) {
                return CompletableFuture.completedFuture(null);
              }
              return context.invocations().call(job.functionId(), job.data());
            });
  }

  /** The queues of a topic (one per subscribed function). */
  synchronized List<JobQueue> queuesOf(String topic) {
    List<JobQueue> queues = new ArrayList<>();
    subscriptions.values().stream()
        .filter(s -> s.topic.equals(topic))
        .forEach(s -> queues.add(s.queue));
    return queues;
  }

  synchronized List<JobQueue> allQueues() {
    return subscriptions.values().stream().map(s -> s.queue).toList();
  }

  /** Topics with their live trigger counts, in registration order. */
  synchronized Map<String, Integer> topics() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Subscription s : subscriptions.values()) {
      counts.merge(s.topic, s.triggerIds.size(), Integer::sum);
    }
    return counts;
  }

  void snapshot(ObjectNode all) {
    List<Subscription> current;
    synchronized (this) {
      current = List.copyOf(subscriptions.values());
    }
    for (Subscription s : current) {
      ObjectNode saved = s.queue.snapshot();
      saved.put("topic", s.topic);
      saved.put("function_id", s.functionId);
      all.set(key(s.topic, s.functionId), saved);
    }
  }

  /** Restores a saved topic queue; it stays paused until a trigger subscribes its function. */
  void restore(JsonNode saved) {
    String topic = saved.path("topic").asString();
    String functionId = saved.path("function_id").asString();
    if (topic.isEmpty() || functionId.isEmpty()) {
      log.warn("Queue store: a saved durable topic queue has no topic or function; dropped");
      return;
    }
    subscription(topic, functionId).queue.restore(saved);
  }

  /** A trigger's {@code queue_config}: the official subscriber keys over the defaults. */
  static JobQueue.Settings settings(JsonNode queueConfig) {
    if (!queueConfig.isObject()) {
      return DEFAULTS;
    }
    JsonNode retries = queueConfig.path("maxRetries");
    // maxRetries counts retries after the first delivery: attempts = maxRetries + 1.
    int attempts = retries.canConvertToInt() ? retries.asInt() + 1 : DEFAULTS.maxAttempts();
    JsonNode backoff = queueConfig.path("backoffDelayMs");
    JsonNode concurrency = queueConfig.path("concurrency");
    return new JobQueue.Settings(
        attempts,
        backoff.canConvertToLong() ? backoff.asLong() : DEFAULTS.backoffMs(),
        concurrency.canConvertToInt() ? Math.max(1, concurrency.asInt()) : DEFAULTS.prefetch(),
        "fifo".equals(queueConfig.path("type").asString("")));
  }

  private final class Provider implements TriggerProvider {

    @Override
    public void register(Trigger trigger) {
      JsonNode topicNode = trigger.config().path("topic");
      String topic = topicNode.isString() ? topicNode.asString() : "";
      if (topic.isEmpty()) {
        // The official engine accepts the trigger and subscribes nothing.
        log.warn("Topic is not set for trigger {} of {}", trigger.id(), trigger.functionId());
        return;
      }
      Subscription subscription = subscription(topic, trigger.functionId());
      JsonNode queueConfig = trigger.config().path("queue_config");
      synchronized (DurableTopics.this) {
        subscription.triggerIds.add(trigger.id());
        subscription.conditionFunctionId = TriggerConditions.conditionFunctionId(trigger);
      }
      JobQueue.Settings settings =
          queueConfig.isObject() ? settings(queueConfig) : subscription.queue.settings();
      subscription.queue.activate(settings);
      log.info("Durable subscription {} -> {}", topic, trigger.functionId());
    }

    @Override
    public void unregister(Trigger trigger) {
      JsonNode topicNode = trigger.config().path("topic");
      String topic = topicNode.isString() ? topicNode.asString() : "";
      synchronized (DurableTopics.this) {
        String key = key(topic, trigger.functionId());
        Subscription subscription = subscriptions.get(key);
        if (subscription == null || !subscription.triggerIds.remove(trigger.id())) {
          return;
        }
        if (subscription.triggerIds.isEmpty()) {
          subscription.queue.pause();
          if (subscription.queue.isEmpty()) {
            subscriptions.remove(key);
          }
        }
      }
    }
  }
}
