package dev.iii.engine.kv;

import dev.iii.engine.support.SerdeText;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * Reads the wire's {@code ops} array into {@link UpdateOp}s, refusing what the official engine's
 * serde model ({@code UpdateOp}, internally tagged by {@code type}) refuses, with serde's wording.
 * Stateless.
 */
final class UpdateOpParser {

  private static final String VARIANTS =
      "expected one of `set`, `merge`, `increment`, `decrement`, `append`, `remove`";

  private UpdateOpParser() {}

  static List<UpdateOp> parse(JsonNode ops) {
    if (ops.isMissingNode()) {
      throw new IllegalArgumentException("missing field `ops`");
    }
    if (!ops.isArray()) {
      throw new IllegalArgumentException(
          "invalid type: " + SerdeText.unexpected(ops) + ", expected a sequence");
    }
    List<UpdateOp> parsed = new ArrayList<>(ops.size());
    for (JsonNode op : ops) {
      parsed.add(one(op));
    }
    return parsed;
  }

  private static UpdateOp one(JsonNode op) {
    if (!op.isObject()) {
      throw new IllegalArgumentException(
          "invalid type: "
              + SerdeText.unexpected(op)
              + ", expected internally tagged enum UpdateOp");
    }
    JsonNode type = op.path("type");
    if (type.isMissingNode()) {
      throw new IllegalArgumentException("missing field `type`");
    }
    if (!type.isString()) {
      throw new IllegalArgumentException(
          "invalid type: " + SerdeText.unexpected(type) + ", expected variant identifier");
    }
    String name = type.stringValue();
    return switch (name) {
      case UpdateOps.SET -> {
        JsonNode value = op.path("value");
        yield new UpdateOp(name, field(op), value.isMissingNode() ? NullNode.getInstance() : value);
      }
      case UpdateOps.INCREMENT, UpdateOps.DECREMENT -> {
        List<String> path = field(op);
        yield new UpdateOp(name, path, by(op));
      }
      case UpdateOps.REMOVE -> new UpdateOp(name, field(op), NullNode.getInstance());
      case UpdateOps.MERGE, UpdateOps.APPEND -> {
        List<String> path = segments(op.path("path"));
        JsonNode value = op.path("value");
        if (value.isMissingNode()) {
          throw new IllegalArgumentException("missing field `value`");
        }
        yield new UpdateOp(name, path, value);
      }
      default -> throw new IllegalArgumentException("unknown variant `" + name + "`, " + VARIANTS);
    };
  }

  /** A field op's {@code path}: one first-level key, {@code ""} for the value itself. */
  private static List<String> field(JsonNode op) {
    JsonNode path = op.path("path");
    if (path.isMissingNode()) {
      throw new IllegalArgumentException("missing field `path`");
    }
    if (!path.isString()) {
      throw new IllegalArgumentException(
          "invalid type: " + SerdeText.unexpected(path) + ", expected a string");
    }
    return path.stringValue().isEmpty() ? List.of() : List.of(path.stringValue());
  }

  /**
   * A merge or append {@code path}: absent, {@code null}, {@code ""} or {@code []} for the root; a
   * string for one key; an array of literal segments.
   */
  private static List<String> segments(JsonNode path) {
    if (path.isMissingNode() || path.isNull()) {
      return List.of();
    }
    if (path.isString()) {
      return path.stringValue().isEmpty() ? List.of() : List.of(path.stringValue());
    }
    if (path.isArray()) {
      List<String> segments = new ArrayList<>(path.size());
      for (JsonNode segment : path) {
        if (!segment.isString()) {
          throw untagged();
        }
        segments.add(segment.stringValue());
      }
      return segments;
    }
    throw untagged();
  }

  private static IllegalArgumentException untagged() {
    return new IllegalArgumentException(
        "data did not match any variant of untagged enum MergePath");
  }

  private static JsonNode by(JsonNode op) {
    JsonNode by = op.path("by");
    if (by.isMissingNode()) {
      throw new IllegalArgumentException("missing field `by`");
    }
    if (!by.isIntegralNumber() || !by.canConvertToLong()) {
      throw new IllegalArgumentException(
          "invalid type: " + SerdeText.unexpected(by) + ", expected i64");
    }
    return by;
  }
}
