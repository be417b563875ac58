package dev.iii.engine.modules.stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON the official stream worker pushes to subscribed sockets and passes to {@code stream}
 * triggers (its {@code StreamWrapperMessage}): {@code {"type": "stream", "timestamp", "streamName",
 * "groupId", "id", "event": {"type": "create" | "update" | "delete" | "sync", "data"} | {"type":
 * "event", "event": {"type", "data"}} | {"type": "unauthorized"}}}. Stateless.
 */
final class StreamMessages {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private StreamMessages() {}

  /** A change, sync or unauthorized message ({@code data} {@code null}: none, for unauthorized). */
  static ObjectNode message(
      String eventType,
      String streamName,
      String groupId,
      @Nullable String id,
      @Nullable JsonNode data) {
    ObjectNode event = JSON.objectNode();
    event.put("type", eventType);
    if (data != null) {
      event.set("data", data);
    }
    return wrap(streamName, groupId, id, event);
  }

  /** A custom event ({@code stream::send}). */
  static ObjectNode custom(
      String streamName, String groupId, @Nullable String id, String type, JsonNode data) {
    ObjectNode inner = JSON.objectNode();
    inner.put("type", type);
    inner.set("data", data);
    ObjectNode event = JSON.objectNode();
    event.put("type", "event");
    event.set("event", inner);
    return wrap(streamName, groupId, id, event);
  }

  private static ObjectNode wrap(
      String streamName, String groupId, @Nullable String id, ObjectNode event) {
    ObjectNode message = JSON.objectNode();
    message.put("type", "stream");
    message.put("timestamp", System.currentTimeMillis());
    message.put("streamName", streamName);
    message.put("groupId", groupId);
    if (id == null) {
      message.set("id", NullNode.getInstance());
    } else {
      message.put("id", id);
    }
    message.set("event", event);
    return message;
  }

  /** The stream a message is about. */
  static String streamName(JsonNode message) {
    return message.path("streamName").asString();
  }

  /** The group a message is about. */
  static String groupId(JsonNode message) {
    return message.path("groupId").asString();
  }

  /** The item a message is about, or {@code null}. */
  static @Nullable String id(JsonNode message) {
    JsonNode id = message.path("id");
    return id.isString() ? id.asString() : null;
  }
}
