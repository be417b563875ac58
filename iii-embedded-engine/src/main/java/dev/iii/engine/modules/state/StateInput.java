package dev.iii.engine.modules.state;

import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.support.SerdeText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads a {@code state::*} input as the official engine deserialises it: unknown members ignored, a
 * missing or mistyped one fails the call with {@code deserialization_error} ("Failed to deserialize
 * input for state::get: missing field `key`"). Immutable.
 */
final class StateInput {

  private final String functionId;
  private final JsonNode input;

  private StateInput(String functionId, JsonNode input) {
    this.functionId = functionId;
    this.input = input;
  }

  /**
   * The input of one call; {@code null} reads as {@code {}}.
   *
   * @throws InvocationError when it is not an object
   */
  static StateInput of(String functionId, JsonNode input) {
    if (input.isNull() || input.isMissingNode()) {
      return new StateInput(functionId, JsonNodeFactory.instance.objectNode());
    }
    if (!input.isObject()) {
      throw error(functionId, "invalid type: expected struct");
    }
    return new StateInput(functionId, input);
  }

  String string(String field) {
    JsonNode value = input.path(field);
    if (value.isMissingNode()) {
      throw error(functionId, "missing field `" + field + "`");
    }
    if (!value.isString()) {
      throw error(functionId, "invalid type for `" + field + "`: expected a string");
    }
    return value.stringValue();
  }

  /** A required member of any JSON type ({@code null} included), under either name. */
  JsonNode any(String field, String alias) {
    JsonNode value = input.path(field);
    if (value.isMissingNode()) {
      value = input.path(alias);
    }
    if (value.isMissingNode()) {
      throw error(functionId, "missing field `" + field + "`");
    }
    return value;
  }

  JsonNode raw(String field) {
    return input.path(field);
  }

  static InvocationError error(String functionId, String detail) {
    return new InvocationError("deserialization_error", SerdeText.inputMessage(functionId, detail));
  }
}
