package dev.iii.engine.modules.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live {@code subscribe} triggers by topic (exact string match, as in the official engine).
 * Each topic's subscribers are an immutable list replaced on every change, so a publish reads one
 * consistent snapshot without locking; a topic without subscribers is forgotten. Bounded by the
 * trigger registry: one entry per live trigger.
 *
 * <p>Concurrency: both maps are concurrent and a topic's list is replaced atomically ({@code
 * compute}); any thread may call in.
 */
final class Subscriptions {

  /**
   * One live subscription: calls {@code functionId} for each event on {@code topic}. {@code
   * inFlight} counts its deliveries that have not ended yet.
   */
  record Subscription(String triggerId, String topic, String functionId, AtomicInteger inFlight) {

    Subscription(String triggerId, String topic, String functionId) {
      this(triggerId, topic, functionId, new AtomicInteger());
    }
  }

  private final Map<String, List<Subscription>> byTopic = new ConcurrentHashMap<>();
  private final Map<String, Subscription> byTrigger = new ConcurrentHashMap<>();

  /** Adds a subscription, replacing one with the same trigger id. */
  void add(Subscription subscription) {
    Subscription previous = byTrigger.put(subscription.triggerId(), subscription);
    if (previous != null) {
      detach(previous);
    }
    byTopic.compute(
        subscription.topic(),
        (topic, current) -> {
          List<Subscription> next = current == null ? new ArrayList<>() : new ArrayList<>(current);
          next.add(subscription);
          return List.copyOf(next);
        });
  }

  /**
   * Removes the subscription of a trigger; only that one, unlike the official engine's {@code
   * local} adapter, which drops every subscription of the topic with it (a bug its own test
   * documents).
   *
   * @return whether there was one
   */
  boolean remove(String triggerId) {
    Subscription removed = byTrigger.remove(triggerId);
    if (removed == null) {
      return false;
    }
    detach(removed);
    return true;
  }

  private void detach(Subscription subscription) {
    byTopic.computeIfPresent(
        subscription.topic(),
        (topic, current) -> {
          List<Subscription> next = new ArrayList<>(current);
          next.remove(subscription);
          return next.isEmpty() ? null : List.copyOf(next);
        });
  }

  /** The subscribers of a topic now, in the order they subscribed. */
  List<Subscription> of(String topic) {
    return byTopic.getOrDefault(topic, List.of());
  }

  /** Topics with at least one subscriber. */
  List<String> topics() {
    return List.copyOf(byTopic.keySet());
  }

  /** Number of live subscriptions. */
  int size() {
    return byTrigger.size();
  }

  void clear() {
    byTrigger.clear();
    byTopic.clear();
  }
}
