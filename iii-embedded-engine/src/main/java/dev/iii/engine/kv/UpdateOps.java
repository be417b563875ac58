package dev.iii.engine.kv;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses and applies update operations with the official engine's semantics ({@code
 * engine/src/update_ops.rs} at v0.22.1): ops apply in order to a copy of the value; an op that
 * fails is reported with a stable code and skipped, and the ops after it still apply. Paths are
 * literal segments; the {@code __proto__}, {@code constructor} and {@code prototype} segments and
 * merge keys are refused, as are paths deeper than {@value #MAX_PATH_DEPTH} segments, segments
 * longer than {@value #MAX_SEGMENT_BYTES} UTF-8 bytes, and merge values nested deeper than {@value
 * #MAX_VALUE_DEPTH} or with more than {@value #MAX_VALUE_KEYS} top-level keys. Stateless.
 *
 * <p>Over 400 lines because the six operations share their path walking and checks, and each
 * check's code and message must match the official one; split, the rules would be harder to read
 * against {@code update_ops.rs}. Parsing is apart, in {@code UpdateOpParser}.
 */
public final class UpdateOps {

  static final String SET = "set";
  static final String MERGE = "merge";
  static final String INCREMENT = "increment";
  static final String DECREMENT = "decrement";
  static final String APPEND = "append";
  static final String REMOVE = "remove";

  /** The most segments a path may have. */
  public static final int MAX_PATH_DEPTH = 32;

  /** The longest a path segment may be, in UTF-8 bytes. */
  public static final int MAX_SEGMENT_BYTES = 256;

  /** The deepest a merge value may nest (an object of scalars is 1). */
  public static final int MAX_VALUE_DEPTH = 16;

  /** The most top-level keys a merge value may have. */
  public static final int MAX_VALUE_KEYS = 1024;

  /** Where every error code is documented (each error's {@code doc_url}). */
  public static final String DOC_URL = "https://iii.dev/docs/workers/iii-state#error-codes";

  private static final List<String> PROTO_KEYS = List.of("__proto__", "constructor", "prototype");
  private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Logger log = LoggerFactory.getLogger(UpdateOps.class);

  private UpdateOps() {}

  /**
   * The value after the ops, and the ops that failed.
   *
   * @param value the new value
   * @param errors failed ops, in order
   */
  public record Applied(JsonNode value, List<UpdateOpError> errors) {}

  /**
   * Reads the wire's {@code ops} array as the official engine deserialises it: {@code type} names
   * the op; {@code set}, {@code increment}, {@code decrement} and {@code remove} need a string
   * {@code path}; {@code increment} and {@code decrement} need an integer {@code by} (64-bit
   * signed); {@code merge} and {@code append} need a {@code value} and take an optional {@code
   * path} (a string or an array of strings); {@code set}'s {@code value} may be omitted (null).
   * Unknown members are ignored.
   *
   * @throws IllegalArgumentException with serde's wording when an op is malformed
   */
  public static List<UpdateOp> parse(JsonNode ops) {
    return UpdateOpParser.parse(ops);
  }

  /**
   * Applies ops in order to a copy of {@code old} (absent: {@code null}, which starts as {@code {}}
   * except that a root {@code increment}, {@code decrement} or {@code append} on an absent value
   * starts from nothing). An op that fails is skipped and reported; the others apply.
   */
  public static Applied apply(@Nullable JsonNode old, List<UpdateOp> ops) {
    Applier applier = new Applier(old);
    for (int i = 0; i < ops.size(); i++) {
      applier.apply(i, ops.get(i));
    }
    return new Applied(applier.current, List.copyOf(applier.errors));
  }

  /** The state of one {@link #apply} run. Confined to its caller. */
  private static final class Applier {

    JsonNode current;
    boolean missingDefault;
    final List<UpdateOpError> errors = new ArrayList<>();

    Applier(@Nullable JsonNode old) {
      missingDefault = old == null;
      current = old == null ? NODES.objectNode() : old.deepCopy();
    }

    void apply(int index, UpdateOp op) {
      List<String> path = op.path();
      if (!validPath(op.type(), index, path)) {
        return;
      }
      switch (op.type()) {
        case SET -> set(index, path, op.argument());
        case MERGE -> merge(index, path, op.argument());
        case INCREMENT -> add(index, INCREMENT, path, op.argument().asLong(), false);
        case DECREMENT -> add(index, DECREMENT, path, op.argument().asLong(), true);
        case APPEND -> append(index, path, op.argument());
        case REMOVE -> remove(index, path);
        default ->
            errors.add(error(index, op.type() + ".unknown_op", "Unknown op type " + op.type()));
      }
    }

    private void set(int index, List<String> path, JsonNode value) {
      if (path.isEmpty()) {
        current = value.deepCopy();
        missingDefault = false;
      } else if (current instanceof ObjectNode object) {
        object.set(path.get(0), value.deepCopy());
        missingDefault = false;
      } else {
        errors.add(targetNotObject(index, SET, "set", label(path), current));
      }
    }

    private void merge(int index, List<String> path, JsonNode value) {
      if (!validMergeValue(index, value)) {
        return;
      }
      ObjectNode target;
      if (path.isEmpty()) {
        if (!(current instanceof ObjectNode object)) {
          log.warn("Merge operation requires existing root to be a JSON object");
          return;
        }
        target = object;
      } else {
        target = walkOrCreate(path);
      }
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        target.set(entry.getKey(), entry.getValue().deepCopy());
      }
      missingDefault = false;
    }

    private void add(int index, String op, List<String> path, long by, boolean subtract) {
      if (path.isEmpty()) {
        if (missingDefault) {
          current = subtract ? negated(by) : integer(BigInteger.valueOf(by));
        } else {
          JsonNode updated = arithmetic(current, by, subtract);
          if (updated == null) {
            errors.add(notNumber(index, op, "root", current));
            return;
          }
          current = updated;
        }
        missingDefault = false;
      } else if (current instanceof ObjectNode object) {
        String key = path.get(0);
        JsonNode existing = object.get(key);
        if (existing == null) {
          object.set(key, subtract ? negated(by) : integer(BigInteger.valueOf(by)));
        } else {
          JsonNode updated = arithmetic(existing, by, subtract);
          if (updated == null) {
            errors.add(notNumber(index, op, key, existing));
            return;
          }
          object.set(key, updated);
        }
        missingDefault = false;
      } else {
        errors.add(targetNotObject(index, op, op, label(path), current));
      }
    }

    private void append(int index, List<String> path, JsonNode value) {
      if (path.isEmpty()) {
        if (missingDefault) {
          current = NullNode.getInstance();
        }
        JsonNode appended = appendTo(index, current, value, "root");
        if (appended != null) {
          current = appended;
          missingDefault = false;
        }
      } else if (!(current instanceof ObjectNode object)) {
        errors.add(
            targetNotObject(index, APPEND, "append", "[" + String.join(", ", path) + "]", current));
      } else if (path.size() == 1) {
        String key = path.get(0);
        JsonNode existing = object.get(key);
        if (existing == null) {
          object.set(
              key, value.isString() ? value.deepCopy() : NODES.arrayNode().add(value.deepCopy()));
        } else {
          JsonNode appended = appendTo(index, existing, value, key);
          if (appended != null) {
            object.set(key, appended);
          }
        }
        missingDefault = false;
      } else {
        String leaf = path.get(path.size() - 1);
        ObjectNode parent = walkOrCreate(path.subList(0, path.size() - 1));
        JsonNode existing = parent.get(leaf);
        if (existing == null) {
          parent.set(leaf, NODES.arrayNode().add(value.deepCopy()));
        } else {
          JsonNode appended = appendTo(index, existing, value, leaf);
          if (appended != null) {
            parent.set(leaf, appended);
          }
        }
        missingDefault = false;
      }
    }

    private void remove(int index, List<String> path) {
      if (path.isEmpty()) {
        current = NullNode.getInstance();
        missingDefault = false;
      } else if (current instanceof ObjectNode object) {
        object.remove(path.get(0));
        missingDefault = false;
      } else {
        errors.add(targetNotObject(index, REMOVE, "remove", label(path), current));
      }
    }

    /** The target after appending, or {@code null} when it cannot take the value (reported). */
    private @Nullable JsonNode appendTo(int index, JsonNode target, JsonNode value, String where) {
      if (target instanceof ArrayNode array) {
        return array.add(value.deepCopy());
      }
      if (target.isString()) {
        if (value.isString()) {
          return NODES.stringNode(target.stringValue() + value.stringValue());
        }
        errors.add(
            error(
                index,
                "append.type_mismatch",
                "Expected string append value at path '"
                    + where
                    + "', got "
                    + typeName(value)
                    + "."));
        return null;
      }
      if (target.isNull()) {
        return value.isString() ? value.deepCopy() : NODES.arrayNode().add(value.deepCopy());
      }
      errors.add(
          error(
              index,
              "append.type_mismatch",
              "Cannot append at path '"
                  + where
                  + "': target is "
                  + typeName(target)
                  + ", expected array, string, null, or missing field."));
      return null;
    }

    /**
     * The object at {@code segments}, replacing the root and any intermediate that is not an object
     * with {@code {}} (RFC 7396 style).
     */
    private ObjectNode walkOrCreate(List<String> segments) {
      if (!(current instanceof ObjectNode)) {
        current = NODES.objectNode();
      }
      ObjectNode node = (ObjectNode) current;
      for (String segment : segments) {
        JsonNode child = node.get(segment);
        if (child instanceof ObjectNode object) {
          node = object;
        } else {
          ObjectNode created = NODES.objectNode();
          node.set(segment, created);
          node = created;
        }
      }
      return node;
    }

    private boolean validPath(String op, int index, List<String> path) {
      if (path.size() > MAX_PATH_DEPTH) {
        errors.add(
            error(
                index,
                op + ".path.too_deep",
                "Path depth " + path.size() + " exceeds maximum of " + MAX_PATH_DEPTH));
        return false;
      }
      for (String segment : path) {
        int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
        if (segment.isEmpty()) {
          errors.add(error(index, op + ".path.empty_segment", "Path contains an empty segment"));
          return false;
        }
        if (bytes > MAX_SEGMENT_BYTES) {
          errors.add(
              error(
                  index,
                  op + ".path.segment_too_long",
                  "Path segment of " + bytes + " bytes exceeds maximum of " + MAX_SEGMENT_BYTES));
          return false;
        }
        if (PROTO_KEYS.contains(segment)) {
          errors.add(
              error(
                  index,
                  op + ".path.proto_polluted",
                  "Path segment '" + segment + "' is not allowed (prototype pollution)."));
          return false;
        }
      }
      return true;
    }

    private boolean validMergeValue(int index, JsonNode value) {
      if (!value.isObject()) {
        errors.add(error(index, "merge.value.not_an_object", "Merge value must be a JSON object"));
        return false;
      }
      if (value.size() > MAX_VALUE_KEYS) {
        errors.add(
            error(
                index,
                "merge.value.too_many_keys",
                "Merge value has "
                    + value.size()
                    + " top-level keys, exceeds maximum of "
                    + MAX_VALUE_KEYS));
        return false;
      }
      for (String key : value.propertyNames()) {
        if (PROTO_KEYS.contains(key)) {
          errors.add(
              error(
                  index,
                  "merge.value.proto_polluted",
                  "Merge value top-level key \"" + key + "\" is a prototype-pollution sink"));
          return false;
        }
      }
      int depth = depth(value);
      if (depth > MAX_VALUE_DEPTH) {
        errors.add(
            error(
                index,
                "merge.value.too_deep",
                "Merge value JSON nesting depth "
                    + depth
                    + " exceeds maximum of "
                    + MAX_VALUE_DEPTH));
        return false;
      }
      return true;
    }
  }

  /** {@code value + by} (or {@code - by}), or {@code null} when it is not a number or overflows. */
  static @Nullable JsonNode arithmetic(JsonNode value, long by, boolean subtract) {
    if (value.isIntegralNumber()) {
      BigInteger number = value.bigIntegerValue();
      if (number.compareTo(I64_MIN) >= 0 && number.compareTo(U64_MAX) <= 0) {
        BigInteger delta = BigInteger.valueOf(by);
        BigInteger result = subtract ? number.subtract(delta) : number.add(delta);
        return result.compareTo(I64_MIN) >= 0 && result.compareTo(U64_MAX) <= 0
            ? integer(result)
            : null;
      }
      // Beyond 64 bits the official engine holds the number as a double.
    } else if (!value.isNumber()) {
      return null;
    }
    double result = subtract ? value.doubleValue() - by : value.doubleValue() + by;
    return Double.isFinite(result) ? NODES.numberNode(result) : null;
  }

  /** The start of a decrement of an absent field: {@code -by} ({@code 2^63} for the minimum). */
  private static JsonNode negated(long by) {
    return integer(BigInteger.valueOf(by).negate());
  }

  /** A number node of the narrowest type Jackson would parse it as. */
  private static JsonNode integer(BigInteger value) {
    if (value.bitLength() < 32) {
      return NODES.numberNode(value.intValue());
    }
    if (value.bitLength() < 64) {
      return NODES.numberNode(value.longValue());
    }
    return NODES.numberNode(value);
  }

  static int depth(JsonNode value) {
    if (!value.isContainer()) {
      return 0;
    }
    int deepest = 0;
    for (JsonNode child : value) {
      deepest = Math.max(deepest, depth(child));
    }
    return 1 + deepest;
  }

  private static String label(List<String> path) {
    return path.isEmpty() ? "root" : path.get(0);
  }

  static String typeName(JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isString()) {
      return "string";
    }
    return value.isArray() ? "array" : "object";
  }

  private static UpdateOpError targetNotObject(
      int index, String op, String verb, String path, JsonNode target) {
    return error(
        index,
        op + ".target_not_object",
        "Cannot "
            + verb
            + " at path '"
            + path
            + "': target is "
            + typeName(target)
            + ", expected object.");
  }

  private static UpdateOpError notNumber(int index, String op, String path, JsonNode found) {
    return error(
        index,
        op + ".not_number",
        "Expected number at path '" + path + "', got " + typeName(found) + ".");
  }

  private static UpdateOpError error(int index, String code, String message) {
    return new UpdateOpError(index, code, message, DOC_URL);
  }
}
