package dev.iii.engine.modules.stream;

import dev.iii.engine.kv.UpdateOp;
import dev.iii.engine.registry.InvocationError;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;

/**
 * Reads a {@code stream::*} input as the official worker deserialises it (serde): unknown keys are
 * ignored, a missing or mistyped field fails the call with {@code deserialization_error} and the
 * message {@code Failed to deserialize input for <function>: <detail>}. Immutable.
 */
final class StreamInput {

  private static final List<String> OP_TYPES =
      List.of("set", "merge", "increment", "decrement", "append", "remove");

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
      throw error(functionId, "invalid type: " + kind(input) + ", expected a struct");
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
      throw error(functionId, "invalid type: " + kind(value) + ", expected a string");
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
      throw error(functionId, "invalid type: " + kind(value) + ", expected a string");
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
    JsonNode ops = input.get("ops");
    if (ops == null) {
      throw error(functionId, "missing field `ops`");
    }
    if (!ops.isArray()) {
      throw error(functionId, "invalid type: " + kind(ops) + ", expected a sequence");
    }
    List<UpdateOp> parsed = new ArrayList<>();
    for (JsonNode op : ops) {
      parsed.add(op(op));
    }
    return parsed;
  }

  private UpdateOp op(JsonNode op) {
    if (!op.isObject()) {
      throw error(functionId, "invalid type: " + kind(op) + ", expected internally tagged enum");
    }
    JsonNode typeNode = op.get("type");
    if (typeNode == null) {
      throw error(functionId, "missing field `type`");
    }
    String type = typeNode.isString() ? typeNode.asString() : typeNode.toString();
    if (!OP_TYPES.contains(type)) {
      throw error(
          functionId,
          "unknown variant `"
              + type
              + "`, expected one of `set`, `merge`, `increment`, `decrement`, `append`, `remove`");
    }
    return switch (type) {
      case "set" -> {
        JsonNode value = op.get("value");
        yield new UpdateOp(
            type, fieldPath(op), value == null ? NullNode.getInstance() : value.deepCopy());
      }
      case "increment", "decrement" -> {
        JsonNode by = op.get("by");
        if (by == null) {
          throw error(functionId, "missing field `by`");
        }
        if (!by.isIntegralNumber() || !by.canConvertToLong()) {
          throw error(functionId, "invalid type: " + kind(by) + ", expected i64");
        }
        yield new UpdateOp(type, fieldPath(op), JsonNodeFactory.instance.numberNode(by.asLong()));
      }
      case "remove" -> new UpdateOp(type, fieldPath(op), NullNode.getInstance());
      default -> {
        JsonNode value = op.get("value");
        if (value == null) {
          throw error(functionId, "missing field `value`");
        }
        yield new UpdateOp(type, mergePath(op), value.deepCopy());
      }
    };
  }

  /** A {@code set}/{@code increment}/{@code remove} path: one key, {@code ""} for the root. */
  private List<String> fieldPath(JsonNode op) {
    JsonNode path = op.get("path");
    if (path == null) {
      throw error(functionId, "missing field `path`");
    }
    if (!path.isString()) {
      throw error(functionId, "invalid type: " + kind(path) + ", expected a string");
    }
    return path.asString().isEmpty() ? List.of() : List.of(path.asString());
  }

  /** A {@code merge}/{@code append} path: absent, one key ({@code ""}: root) or segments. */
  private List<String> mergePath(JsonNode op) {
    JsonNode path = op.get("path");
    if (path == null || path.isNull()) {
      return List.of();
    }
    if (path.isString()) {
      return path.asString().isEmpty() ? List.of() : List.of(path.asString());
    }
    if (path.isArray()) {
      List<String> segments = new ArrayList<>();
      for (JsonNode segment : path) {
        if (!segment.isString()) {
          break;
        }
        segments.add(segment.asString());
      }
      if (segments.size() == path.size()) {
        return segments;
      }
    }
    throw error(functionId, "data did not match any variant of untagged enum MergePath");
  }

  static InvocationError error(String functionId, String detail) {
    return new InvocationError(
        "deserialization_error", "Failed to deserialize input for " + functionId + ": " + detail);
  }

  /** How serde names an unexpected JSON value. */
  private static String kind(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isBoolean()) {
      return "boolean `" + value.asBoolean() + "`";
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
}
