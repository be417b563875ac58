package dev.iii.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain-Jackson helpers for asserting on frames independently of {@link MessageCodec}. */
final class Wire {

  /** A default mapper, unrelated to the codec's own configuration. */
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A valid invocation id in canonical (lower-case, hyphenated) form. */
  static final String ID = "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6";

  /** A W3C traceparent. */
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private Wire() {}

  /** JSON text as a payload. */
  static RawJson raw(String text) {
    return RawJson.parse(text);
  }

  /** Parses JSON text into a tree. */
  static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  /** The top-level keys of a JSON object, in document order. */
  static List<String> keys(String frame) {
    return keys(json(frame));
  }

  /** The keys of a JSON object node, in document order. */
  static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      keys.add(entry.getKey());
    }
    return keys;
  }

  /** Turns single quotes into double quotes so frames stay readable in Java source. */
  static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }
}
