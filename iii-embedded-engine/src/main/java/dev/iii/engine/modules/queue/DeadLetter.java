package dev.iii.engine.modules.queue;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message that failed its last delivery, with the error and when (epoch milliseconds). Its JSON
 * form is the official engine's DLQ entry: {@code {job, error, failed_at}}.
 */
record DeadLetter(Job job, String error, long failedAt) {

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("job", job.toJson());
    node.put("error", error);
    node.put("failed_at", failedAt);
    return node;
  }

  static DeadLetter fromJson(JsonNode node) {
    return new DeadLetter(
        Job.fromJson(node.path("job")),
        node.path("error").asString(),
        node.path("failed_at").asLong());
  }

  /**
   * The entry as {@code engine::queue::dlq_messages} lists it: {@code {id, payload, error,
   * failed_at (seconds), retries, size_bytes}}.
   */
  ObjectNode toMessage() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", job.id());
    node.set("payload", job.data());
    node.put("error", error);
    node.put("failed_at", failedAt / 1000);
    node.put("retries", job.attemptsMade());
    node.put("size_bytes", toJson().toString().length());
    return node;
  }
}
