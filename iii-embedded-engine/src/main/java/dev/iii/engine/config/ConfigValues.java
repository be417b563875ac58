package dev.iii.engine.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Reading typed values out of a config tree, with errors that say where. Scalars may arrive as
 * strings, since {@code ${VAR}} substitution happens on the text. Stateless.
 */
final class ConfigValues {

  private static final Logger log = LoggerFactory.getLogger(ConfigValues.class);

  private ConfigValues() {}

  static boolean isAbsent(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }

  /**
   * Checks that a settings block is a mapping (or absent) with only the known keys.
   *
   * @param strict refuse unknown keys (as the official engine does since its {@code workers}
   *     format), rather than warn about them
   */
  static void checkKeys(String where, JsonNode settings, List<String> known, boolean strict) {
    if (!settings.isObject()) {
      if (!isAbsent(settings)) {
        throw new IllegalArgumentException(where + " config must be a mapping, got " + settings);
      }
      return;
    }
    for (Map.Entry<String, JsonNode> entry : settings.properties()) {
      if (!known.contains(entry.getKey())) {
        if (strict) {
          throw new IllegalArgumentException(
              where + ": unknown setting " + entry.getKey() + " (known: " + known + ")");
        }
        log.warn("{}: ignoring unknown setting {}", where, entry.getKey());
      }
    }
  }

  /** A port, 0-65535; 0 when absent. */
  static int port(JsonNode node, String what) {
    if (isAbsent(node)) {
      return 0;
    }
    long value = number(node, what, 0);
    if (value > 65535) {
      throw new IllegalArgumentException(what + " must be between 0 and 65535, got " + value);
    }
    return (int) value;
  }

  /** A non-negative integer, or the default when absent. */
  static long number(JsonNode node, String what, long defaultValue) {
    if (isAbsent(node)) {
      return defaultValue;
    }
    if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
      return node.asLong();
    }
    if (node.isString() && node.asString().matches("\\d{1,18}")) {
      return Long.parseLong(node.asString());
    }
    throw new IllegalArgumentException(what + " must be a non-negative integer, got " + node);
  }

  /** An integer of either sign, or the default when absent. */
  static long signedNumber(JsonNode node, String what, long defaultValue) {
    if (isAbsent(node)) {
      return defaultValue;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.asLong();
    }
    if (node.isString() && node.asString().matches("-?\\d{1,18}")) {
      return Long.parseLong(node.asString());
    }
    throw new IllegalArgumentException(what + " must be an integer, got " + node);
  }

  /** A boolean; {@code true} when absent (both security switches default to on). */
  static boolean bool(JsonNode node, String what) {
    if (isAbsent(node)) {
      return true;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isString() && (node.asString().equals("true") || node.asString().equals("false"))) {
      return Boolean.parseBoolean(node.asString());
    }
    throw new IllegalArgumentException(what + " must be true or false, got " + node);
  }

  static String string(JsonNode node, String what) {
    if (node.isString() || node.isNumber()) {
      return node.asString();
    }
    throw new IllegalArgumentException(what + " must be a string, got " + node);
  }

  /** A list of strings; empty when absent. */
  static List<String> strings(JsonNode node, String what) {
    List<JsonNode> elements = list(node, what + " must be a list of strings");
    List<String> values = new ArrayList<>();
    for (JsonNode element : elements) {
      values.add(string(element, what));
    }
    return values;
  }

  /**
   * The elements of a list; empty when absent.
   *
   * @param problem the error message when it is something else
   */
  static List<JsonNode> list(JsonNode node, String problem) {
    if (isAbsent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(problem + ", got " + node);
    }
    List<JsonNode> elements = new ArrayList<>();
    node.forEach(elements::add);
    return elements;
  }
}
