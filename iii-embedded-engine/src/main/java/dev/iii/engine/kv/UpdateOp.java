package dev.iii.engine.kv;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;

/**
 * One operation of {@code state::update} / {@code stream::update}, as the wire names it: {@code
 * {"type": "set" | "increment" | "decrement" | "append" | "remove" | "merge", "path", …}}.
 *
 * <p>Paths are literal segments, never split on dots. The field ops ({@code set}, {@code
 * increment}, {@code decrement}, {@code remove}) take one first-level key ({@code []} for the value
 * itself); {@code merge} and {@code append} take any number of segments. {@link UpdateOps#parse}
 * reads them off the wire.
 *
 * @param type the operation's {@code type}
 * @param path the path's segments ({@code []} for the value itself)
 * @param argument the operation's {@code value} or {@code by}, or a JSON null when it has none
 */
public record UpdateOp(String type, List<String> path, JsonNode argument) {

  /**
   * Copies the path.
   *
   * @throws IllegalArgumentException when a field op has more than one segment
   */
  public UpdateOp {
    path = List.copyOf(path);
    if (path.size() > 1 && !type.equals(UpdateOps.MERGE) && !type.equals(UpdateOps.APPEND)) {
      throw new IllegalArgumentException(
          type + " takes a single first-level key as its path, got " + path);
    }
  }

  /** {@code set} at a first-level key ({@code ""}: the whole value). */
  public static UpdateOp set(String path, JsonNode value) {
    return new UpdateOp(UpdateOps.SET, field(path), value);
  }

  /** {@code increment} at a first-level key ({@code ""}: the whole value). */
  public static UpdateOp increment(String path, long by) {
    return new UpdateOp(UpdateOps.INCREMENT, field(path), JsonNodeFactory.instance.numberNode(by));
  }

  /** {@code decrement} at a first-level key ({@code ""}: the whole value). */
  public static UpdateOp decrement(String path, long by) {
    return new UpdateOp(UpdateOps.DECREMENT, field(path), JsonNodeFactory.instance.numberNode(by));
  }

  /** {@code remove} of a first-level key ({@code ""}: the whole value becomes null). */
  public static UpdateOp remove(String path) {
    return new UpdateOp(UpdateOps.REMOVE, field(path), NullNode.getInstance());
  }

  /** {@code merge} of an object at a path of literal segments ({@code []}: the root). */
  public static UpdateOp merge(List<String> path, JsonNode value) {
    return new UpdateOp(UpdateOps.MERGE, path, value);
  }

  /** {@code append} at a path of literal segments ({@code []}: the root). */
  public static UpdateOp append(List<String> path, JsonNode value) {
    return new UpdateOp(UpdateOps.APPEND, path, value);
  }

  private static List<String> field(String path) {
    return path.isEmpty() ? List.of() : List.of(path);
  }
}
