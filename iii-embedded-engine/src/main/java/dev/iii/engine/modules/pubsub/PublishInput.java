package dev.iii.engine.modules.pubsub;

import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.support.SerdeText;
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
      throw error("invalid type: " + SerdeText.unexpected(input) + ", expected struct PubSubInput");
    }
    String topic = null;
    JsonNode data = null;
    for (Map.Entry<String, JsonNode> member : input.properties()) {
      JsonNode value = member.getValue();
      if ("topic".equals(member.getKey())) {
        if (!value.isString()) {
          throw error("invalid type: " + SerdeText.unexpected(value) + ", expected a string");
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

  private static InvocationError error(String detail) {
    return new InvocationError(
        "deserialization_error", SerdeText.inputMessage(PubSubModule.PUBLISH, detail));
  }
}
