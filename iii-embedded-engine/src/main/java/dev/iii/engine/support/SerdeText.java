package dev.iii.engine.support;

import tools.jackson.databind.JsonNode;

/**
 * How the official engine's serde words an input it cannot read, so that our built-in functions
 * refuse bad input with the same messages. Stateless.
 */
public final class SerdeText {

  private SerdeText() {}

  /** How serde names a JSON value it did not expect, e.g. {@code integer `3`} or {@code map}. */
  public static String unexpected(JsonNode value) {
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

  /** The message of {@code deserialization_error} for one function's input. */
  public static String inputMessage(String functionId, String detail) {
    return "Failed to deserialize input for " + functionId + ": " + detail;
  }
}
