package dev.iii.engine.modules.queue;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One queued message: the call of {@code functionId} with {@code data}, and its delivery count.
 * Immutable; a retry is a copy with one more attempt. Its JSON form (for the file store and dead
 * letters) uses the official engine's field names ({@code builtins/queue.rs}, {@code Job}).
 *
 * @param id the engine's job id, which also names a dead letter
 * @param functionId the function the message calls
 * @param attemptsMade failed deliveries so far
 * @param maxAttempts deliveries before the message is dead-lettered
 * @param backoffMs base of the retry delay
 * @param createdAt epoch milliseconds
 * @param messageId the enqueue receipt ({@code messageReceiptId}), or {@code null} for a durable
 *     topic message
 * @param groupId a FIFO message's group, or {@code null}
 */
record Job(
    String id,
    String functionId,
    JsonNode data,
    int attemptsMade,
    int maxAttempts,
    long backoffMs,
    long createdAt,
    @Nullable String messageId,
    @Nullable String groupId,
    @Nullable String traceparent,
    @Nullable String baggage) {

  /** This job after one more failed delivery. */
  Job failedOnce() {
    return withAttempts(attemptsMade + 1);
  }

  Job withAttempts(int attempts) {
    return new Job(
        id,
        functionId,
        data,
        attempts,
        maxAttempts,
        backoffMs,
        createdAt,
        messageId,
        groupId,
        traceparent,
        baggage);
  }

  boolean exhausted() {
    return attemptsMade >= maxAttempts;
  }

  /** The official backoff: {@code backoff_ms × 2^(attempts_made − 1)}, saturating. */
  long backoffDelayMs() {
    int exponent = Math.max(0, attemptsMade - 1);
    if (exponent >= 62 || backoffMs > (Long.MAX_VALUE >> exponent)) {
      return Long.MAX_VALUE;
    }
    return backoffMs << exponent;
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", id);
    node.put("function_id", functionId);
    node.set("data", data);
    node.put("attempts_made", attemptsMade);
    node.put("max_attempts", maxAttempts);
    node.put("backoff_delay_ms", backoffMs);
    node.put("created_at", createdAt);
    node.put("message_id", messageId);
    node.put("group_id", groupId);
    node.put("traceparent", traceparent);
    node.put("baggage", baggage);
    return node;
  }

  static Job fromJson(JsonNode node) {
    return new Job(
        node.path("id").asString(),
        node.path("function_id").asString(),
        node.path("data"),
        node.path("attempts_made").asInt(),
        node.path("max_attempts").asInt(),
        node.path("backoff_delay_ms").asLong(),
        node.path("created_at").asLong(),
        text(node.path("message_id")),
        text(node.path("group_id")),
        text(node.path("traceparent")),
        text(node.path("baggage")));
  }

  private static @Nullable String text(JsonNode node) {
    return node.isString() ? node.asString() : null;
  }
}
