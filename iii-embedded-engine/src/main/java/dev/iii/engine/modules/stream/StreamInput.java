package dev.iii.engine.modules.stream;

import dev.iii.engine.kv.UpdateOp;
import dev.iii.engine.kv.UpdateOps;
import dev.iii.engine.registry.InvocationError;
import dev.iii.engine.support.SerdeText;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code stream::*} input as the official worker deserialises it (serde): unknown keys are
 * ignored, a missing or mistyped field fails the call with {@code deserialization_error} and the
 * message {@code Failed to deserialize input for <function>: <detail>}. Immutable.
 */
final class StreamInput {

  private final String functionId;
  private final JsonNode input;

  private StreamInput(String functionId, JsonNode input) {
    this.functionId = functionId;
    this.input = input;
  }

  /**
   * The input of one call.
   *
   * @throws InvocationError when it is not an object
   */
  static StreamInput of(String functionId, JsonNode input) {
    if (!input.isObject()) {
      throw error(
          functionId, "invalid type: " + SerdeText.unexpected(input) + ", expected a struct");
    }
    return new StreamInput(functionId, input);
  }

  /** A required string field. */
  String string(String field) {
    JsonNode value = input.get(field);
    if (value == null) {
      throw error(functionId, "missing field `" + field + "`");
    }
    if (!value.isString()) {
      throw error(
          functionId, "invalid type: " + SerdeText.unexpected(value) + ", expected a string");
    }
    return value.asString();
  }

  /** An optional string field ({@code null} when absent or null). */
  @Nullable String optionalString(String field) {
    JsonNode value = input.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw error(
          functionId, "invalid type: " + SerdeText.unexpected(value) + ", expected a string");
    }
    return value.asString();
  }

  /** A required field of any JSON, {@code null} included. */
  JsonNode any(String field) {
    JsonNode value = input.get(field);
    if (value == null) {
      throw error(functionId, "missing field `" + field + "`");
    }
    return value;
  }

  /** The {@code ops} of {@code stream::update}, as the engine's {@link UpdateOp}s. */
  List<UpdateOp> ops() {
    try {
      return UpdateOps.parse(input.path("ops"));
    } catch (IllegalArgumentException e) {
      throw error(functionId, String.valueOf(e.getMessage()));
    }
  }

  static InvocationError error(String functionId, String detail) {
    return new InvocationError("deserialization_error", SerdeText.inputMessage(functionId, detail));
  }
}
