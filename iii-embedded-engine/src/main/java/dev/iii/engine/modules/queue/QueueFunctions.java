package dev.iii.engine.modules.queue;

import dev.iii.engine.modules.ModuleContext;
import dev.iii.engine.registry.InvocationError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The queue module's functions: the enqueue provider, the dead-letter operations ({@code
 * iii::queue::redrive}, {@code redrive_message}, {@code discard_message}) and the console's
 * read-outs ({@code engine::queue::list_topics}, {@code topic_stats}, {@code dlq_topics}, {@code
 * dlq_messages}), with the official inputs, results and error codes ({@code
 * workers/queue/queue.rs}).
 *
 * <p>Concurrency: stateless; the queues guard themselves.
 */
final class QueueFunctions {

  private static final Logger log = LoggerFactory.getLogger(QueueFunctions.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final QueueModule module;
  private final DurableTopics topics;

  QueueFunctions(QueueModule module, DurableTopics topics) {
    this.module = module;
    this.topics = topics;
  }

  void register(ModuleContext context) {
    ObjectNode internal = NODES.objectNode().put("internal", true);
    context.registerFunction(
        QueueModule.ENQUEUE_FUNCTION,
        "Queue a call on a named queue (TriggerAction.Enqueue)",
        internal,
        this::enqueue);
    context.registerFunction(
        "iii::queue::redrive", "Redrive all DLQ messages back to the main queue", this::redrive);
    context.registerFunction(
        "iii::queue::redrive_message",
        "Redrive a single DLQ message by ID back to the main queue",
        input -> single(input, true));
    context.registerFunction(
        "iii::queue::discard_message",
        "Discard (purge) a single DLQ message by ID",
        input -> single(input, false));
    context.registerFunction("engine::queue::list_topics", "List all queue topics", this::list);
    context.registerFunction(
        "engine::queue::topic_stats", "Get stats for a queue topic", this::stats);
    context.registerFunction(
        "engine::queue::dlq_topics", "List DLQ topics with counts", this::dlqTopics);
    context.registerFunction(
        "engine::queue::dlq_messages", "Browse DLQ messages", this::dlqMessages);
  }

  private static String text(JsonNode input, String field, String alias) {
    JsonNode node = input.path(field);
    if (!node.isString()) {
      node = input.path(alias);
    }
    return node.isString() ? node.asString() : "";
  }

  private static @Nullable String optional(JsonNode node) {
    return node.isString() ? node.asString() : null;
  }

  private static CompletionStage<@Nullable JsonNode> failed(String code, String message) {
    return CompletableFuture.failedFuture(new InvocationError(code, message));
  }

  private CompletionStage<@Nullable JsonNode> enqueue(JsonNode input) {
    try {
      module.enqueue(
          text(input, "queue", "queue"),
          text(input, "function_id", "function_id"),
          input.path("data").isMissingNode() ? NODES.nullNode() : input.get("data"),
          text(input, "messageReceiptId", "message_receipt_id"),
          optional(input.path("traceparent")),
          optional(input.path("baggage")));
      return QueueModule.done(null);
    } catch (InvocationError e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletionStage<@Nullable JsonNode> redrive(JsonNode input) {
    String queue = text(input, "queue", "topic");
    if (queue.isEmpty()) {
      return failed("queue_not_set", "Queue name is required");
    }
    int count = 0;
    for (JobQueue target : module.resolve(queue)) {
      count += target.redriveAll();
    }
    log.info("Queue {}: redrove {} dead letters back to the queue", queue, count);
    return QueueModule.done(NODES.objectNode().put("queue", queue).put("redriven", count));
  }

  private CompletionStage<@Nullable JsonNode> single(JsonNode input, boolean redrive) {
    String queue = text(input, "queue", "topic");
    if (queue.isEmpty()) {
      return failed("queue_not_set", "Queue name is required");
    }
    String messageId = text(input, "message_id", "message_id");
    if (messageId.isEmpty()) {
      return failed("message_id_not_set", "Message ID is required");
    }
    boolean found = false;
    for (JobQueue target : module.resolve(queue)) {
      if (redrive ? target.redrive(messageId) : target.discard(messageId)) {
        found = true;
        break;
      }
    }
    log.info(
        "Queue {}: dead letter {} {}",
        queue,
        messageId,
        found ? (redrive ? "redriven" : "discarded") : "not found");
    // The official result names the count "redriven" for a discard too.
    return QueueModule.done(
        NODES
            .objectNode()
            .put("queue", queue)
            .put("message_id", messageId)
            .put("redriven", found ? 1 : 0));
  }

  private CompletionStage<@Nullable JsonNode> list(JsonNode input) {
    ArrayNode result = NODES.arrayNode();
    topics
        .topics()
        .forEach(
            (topic, count) ->
                result
                    .addObject()
                    .put("name", topic)
                    .put("broker_type", "builtin")
                    .put("subscriber_count", count));
    module
        .namedQueues()
        .forEach(
            (name, queue) ->
                result
                    .addObject()
                    .put("name", name)
                    .put("broker_type", "builtin")
                    .put("subscriber_count", queue.settings().prefetch()));
    return QueueModule.done(result);
  }

  private CompletionStage<@Nullable JsonNode> stats(JsonNode input) {
    String topic = text(input, "topic", "queue");
    if (topic.isEmpty()) {
      return failed("topic_required", "topic is required");
    }
    JobQueue namedQueue = module.named(topic);
    int depth = 0;
    int dead = 0;
    for (JobQueue queue : module.resolve(topic)) {
      depth += queue.depth();
      dead += queue.deadCount();
    }
    int consumers =
        namedQueue != null
            ? namedQueue.settings().prefetch()
            : topics.topics().getOrDefault(topic, 0);
    ObjectNode result =
        NODES
            .objectNode()
            .put("depth", depth)
            .put("consumer_count", consumers)
            .put("dlq_depth", dead);
    result.putNull("config");
    return QueueModule.done(result);
  }

  private CompletionStage<@Nullable JsonNode> dlqTopics(JsonNode input) {
    ArrayNode result = NODES.arrayNode();
    for (String topic : topics.topics().keySet()) {
      int count = topics.queuesOf(topic).stream().mapToInt(JobQueue::deadCount).sum();
      result
          .addObject()
          .put("topic", topic)
          .put("broker_type", "builtin")
          .put("message_count", count);
    }
    for (Map.Entry<String, JobQueue> entry : module.namedQueues().entrySet()) {
      result
          .addObject()
          .put("topic", entry.getKey())
          .put("broker_type", "function_queue")
          .put("message_count", entry.getValue().deadCount());
    }
    return QueueModule.done(result);
  }

  private CompletionStage<@Nullable JsonNode> dlqMessages(JsonNode input) {
    String topic = text(input, "topic", "queue");
    if (topic.isEmpty()) {
      return failed("topic_required", "topic is required");
    }
    long offset = input.path("offset").canConvertToLong() ? input.path("offset").asLong() : 0;
    long limit = input.path("limit").canConvertToLong() ? input.path("limit").asLong() : 50;
    List<DeadLetter> letters = new ArrayList<>();
    for (JobQueue queue : module.resolve(topic)) {
      letters.addAll(queue.deadLetters());
    }
    // Newest first; a topic's queues are merged by failure time, as the official engine does.
    letters.sort(Comparator.comparingLong(DeadLetter::failedAt).reversed());
    ArrayNode result = NODES.arrayNode();
    letters.stream()
        .skip(Math.max(0, offset))
        .limit(Math.max(0, limit))
        .forEach(letter -> result.add(letter.toMessage()));
    return QueueModule.done(result);
  }
}
