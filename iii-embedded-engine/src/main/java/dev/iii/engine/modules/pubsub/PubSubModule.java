package dev.iii.engine.modules.pubsub;

import dev.iii.engine.config.PubSubConfig;
import dev.iii.engine.modules.EngineModule;
import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.modules.TriggerConditions;
import dev.iii.engine.modules.pubsub.Subscriptions.Subscription;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.registry.Trigger;
import dev.iii.engine.registry.TriggerProvider;
import dev.iii.engine.support.RateLimitedLog;
import dev.iii.protocol.InvocationIds;
import dev.iii.protocol.RawJson;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code iii-pubsub} worker of the official engine: the {@code publish} function and the {@code
 * subscribe} trigger type, delivered in process (the official {@code local} adapter).
 *
 * <p>{@code publish {topic, data}} calls the bound function of every {@code subscribe} trigger
 * whose {@code topic} is exactly {@code topic}, with {@code data} as is (no envelope, no trigger
 * metadata), and answers {@code null} at once: it waits for no subscriber (fire and forget). A
 * subscriber's failure or absence reaches no one but the log (a rate-limited WARN; the official
 * engine drops it silently). An empty topic is refused with {@code topic_not_set}.
 *
 * <p>Bounds: each subscription has at most {@link #DEFAULT_MAX_IN_FLIGHT} deliveries that have not
 * ended (a slow subscriber's backlog); further events for it are dropped and logged until it
 * catches up. A delivery also ends when the engine's invocation timeout passes, and a delivery a
 * worker cannot take (its unread outbound bytes over {@code limits.max_outbound_bytes}) fails at
 * once with {@code unavailable}; so a slow or stuck subscriber holds bounded memory.
 *
 * <p>Concurrency: {@code publish} runs on the caller's thread and never blocks; the subscriptions
 * are a concurrent table and each one's in-flight count is atomic.
 */
public final class PubSubModule implements EngineModule {

  /** The in-process worker name the module is listed under. */
  public static final String NAME = "iii-pubsub";

  /** The official description. */
  public static final String DESCRIPTION =
      "Topic-based publish/subscribe messaging for real-time event distribution.";

  /** The function id (no namespace, as in the official engine). */
  public static final String PUBLISH = "publish";

  /** The trigger type id. */
  public static final String TRIGGER_TYPE = "subscribe";

  /** Deliveries to one subscription that may be under way at once before events are dropped. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

  private static final Logger log = LoggerFactory.getLogger(PubSubModule.class);

  private final PubSubConfig config;
  private final int maxInFlight;
  private final Subscriptions subscriptions = new Subscriptions();
  private final RateLimitedLog rateLimited = new RateLimitedLog(log, Duration.ofSeconds(10));
  private @Nullable ModuleContext context;

  /** A module with these settings; it starts with the engine. */
  public PubSubModule(PubSubConfig config) {
    this(config, DEFAULT_MAX_IN_FLIGHT);
  }

  /**
   * A module with its own bound on a subscription's deliveries under way.
   *
   * @param maxInFlight at least 1
   */
  public PubSubModule(PubSubConfig config, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    this.config = config;
    this.maxInFlight = maxInFlight;
  }

  /** The module's settings. */
  public PubSubConfig config() {
    return config;
  }

  /** Topics that have at least one subscriber now. */
  public List<String> topics() {
    return subscriptions.topics();
  }

  /** Number of live {@code subscribe} triggers (not counting those with an empty topic). */
  public int subscriptionCount() {
    return subscriptions.size();
  }

  @Override
  public void start(ModuleContext context) {
    this.context = context;
    if (config.adapterReplaced()) {
      log.warn(
          "{}: the {} adapter is not available in the embedded engine; events are delivered in"
              + " process (every subscriber connected to this engine receives them, none on other"
              + " engine instances)",
          NAME,
          config.adapter());
    }
    context.registerFunction(PUBLISH, "Publishes an event", this::publish);
    context.registerTriggerType(
        TRIGGER_TYPE, "Subscribe to a topic", new Provider(), configSchema(), null, null);
  }

  @Override
  public void close() {
    subscriptions.clear();
  }

  private CompletionStage<@Nullable JsonNode> publish(JsonNode input) {
    PublishInput event;
    try {
      event = PublishInput.read(input);
    } catch (InvocationError e) {
      return CompletableFuture.failedFuture(e);
    }
    if (event.topic().isEmpty()) {
      return CompletableFuture.failedFuture(
          new InvocationError("topic_not_set", "Topic is not set"));
    }
    List<Subscription> subscribers = subscriptions.of(event.topic());
    if (subscribers.isEmpty()) {
      log.debug("Event on {}: no subscriptions", event.topic());
      return CompletableFuture.completedFuture(null);
    }
    // Written once, handed to every subscriber as is.
    RawJson data = RawJson.of(event.data());
    for (Subscription subscription : subscribers) {
      deliver(subscription, data);
    }
    return CompletableFuture.completedFuture(null);
  }

  private void deliver(Subscription subscription, RawJson data) {
    if (subscription.inFlight().incrementAndGet() > maxInFlight) {
      subscription.inFlight().decrementAndGet();
      rateLimited.warn(
          "subscriber busy",
          "Event on {} dropped for {} (trigger {}): {} deliveries to it are still under way",
          subscription.topic(),
          subscription.functionId(),
          subscription.triggerId(),
          maxInFlight);
      return;
    }
    log.debug("Event on {} -> {}", subscription.topic(), subscription.functionId());
    context()
        .invocations()
        .invoke(InvocationIds.random(), subscription.functionId(), data, null, null, null, null)
        .whenComplete(
            (result, error) -> {
              subscription.inFlight().decrementAndGet();
              if (error != null) {
                InvocationError failure = InvocationError.of(error);
                rateLimited.warn(
                    "subscriber failed",
                    "Subscriber {} of topic {} (trigger {}) failed: {}: {}",
                    subscription.functionId(),
                    subscription.topic(),
                    subscription.triggerId(),
                    failure.body().code(),
                    failure.body().message());
              }
            });
  }

  private ModuleContext context() {
    ModuleContext current = context;
    if (current == null) {
      throw new IllegalStateException("the pub/sub module is not started");
    }
    return current;
  }

  /** The official {@code SubscribeTriggerConfig} schema, for {@code engine::triggers::info}. */
  private static ObjectNode configSchema() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode schema = json.objectNode();
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    schema.put("title", "SubscribeTriggerConfig");
    schema.put("type", "object");
    schema.putArray("required").add("topic");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("topic").put("description", "Topic to subscribe to").put("type", "string");
    ObjectNode condition = properties.putObject(TriggerConditions.CONDITION_KEY);
    condition.put("description", "Optional function ID to evaluate before invoking handler");
    condition.putArray("type").add("string").add("null");
    return schema;
  }

  /** Subscribes and unsubscribes triggers for the trigger registry. */
  private final class Provider implements TriggerProvider {

    @Override
    public void register(Trigger trigger) {
      JsonNode topicNode = trigger.config().path("topic");
      String topic = topicNode.isString() ? topicNode.asString() : "";
      if (topic.isEmpty()) {
        // Accepted and never fired, as in the official engine.
        log.warn(
            "Topic is not set for subscribe trigger {} of {}; it will never fire",
            trigger.id(),
            trigger.functionId());
        return;
      }
      if (trigger.config().hasNonNull(TriggerConditions.CONDITION_KEY)) {
        log.warn(
            "subscribe trigger {} of {} sets {}, which the official engine (v0.22.1) ignores for"
                + " subscribe triggers: {} is called for every event on {}",
            trigger.id(),
            trigger.functionId(),
            TriggerConditions.CONDITION_KEY,
            trigger.functionId(),
            topic);
      }
      subscriptions.add(new Subscription(trigger.id(), topic, trigger.functionId()));
      log.info(
          "PubSub subscription {} -> {} (trigger {})", topic, trigger.functionId(), trigger.id());
    }

    @Override
    public void unregister(Trigger trigger) {
      if (subscriptions.remove(trigger.id())) {
        log.debug("PubSub subscription {} of {} removed", trigger.id(), trigger.functionId());
      }
    }
  }
}
