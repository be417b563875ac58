package dev.iii.engine.modules.pubsub;

import dev.iii.engine.registry.InvocationError;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * The input of {@code publish}, read as the official engine deserialises its {@code PubSubInput}
 * (serde): {@code topic} a string and {@code data} any JSON, both required ({@code data} may be
 * {@code null}); other keys are ignored; anything else fails with {@code deserialization_error} and
 * serde's wording.
 *
 * @param topic the topic, possibly empty (which {@code publish} refuses with {@code topic_not_set})
 * @param data what every subscriber receives
 */
record PublishInput(String topic, JsonNode data) {

  static PublishInput read(JsonNode input) {
    if (!input.isObject()) {
      throw error("invalid type: " + unexpected(input) + ", expected struct PubSubInput");
    }
    String topic = null;
    JsonNode data = null;
    for (Map.Entry<String, JsonNode> member : input.properties()) {
      JsonNode value = member.getValue();
      if ("topic".equals(member.getKey())) {
        if (!value.isString()) {
          throw error("invalid type: " + unexpected(value) + ", expected a string");
        }
        topic = value.asString();
      } else if ("data".equals(member.getKey())) {
        data = value;
      }
    }
    if (topic == null) {
      throw error("missing field `topic`");
    }
    if (data == null) {
      throw error("missing field `data`");
    }
    return new PublishInput(topic, data.isMissingNode() ? NullNode.getInstance() : data);
  }

  /** How serde names a JSON value it did not expect. */
  private static String unexpected(JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isBoolean()) {
      return "boolean `" + value.booleanValue() + "`";
    }
    if (value.isIntegralNumber()) {
      return "integer `" + value.asString() + "`";
    }
    if (value.isNumber()) {
      return "floating point `" + value.asString() + "`";
    }
    if (value.isString()) {
      return "string \"" + value.asString() + "\"";
    }
    return value.isArray() ? "sequence" : "map";
  }

  private static InvocationError error(String detail) {
    return new InvocationError(
        "deserialization_error",
        "Failed to deserialize input for " + PubSubModule.PUBLISH + ": " + detail);
  }
}
