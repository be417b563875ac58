package dev.iii.engine.kv;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses and applies update operations, as the official engine's {@code update_ops} does.
 * Stateless.
 */
public final class UpdateOps {

  private UpdateOps() {}

  /**
   * The value after the ops, and the ops that failed.
   *
   * @param value the new value
   * @param errors failed ops, in order
   */
  public record Applied(JsonNode value, List<UpdateOpError> errors) {}

  /**
   * Applies ops in order to a copy of {@code old} (absent: {@code null}). An op that fails is
   * skipped and reported; the others apply.
   */
  public static Applied apply(@Nullable JsonNode old, List<UpdateOp> ops) {
    JsonNode value = old == null ? NullNode.getInstance() : old.deepCopy();
    List<UpdateOpError> errors = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      UpdateOp op = ops.get(i);
      if (op.type().equals("set") && op.path().isEmpty()) {
        value = op.argument().deepCopy();
      } else if (op.type().equals("set")) {
        ObjectNode object =
            value.isObject() ? (ObjectNode) value : JsonNodeFactory.instance.objectNode();
        object.set(op.path().get(0), op.argument().deepCopy());
        value = object;
      } else {
        errors.add(new UpdateOpError(i, op.type() + ".unsupported", "not implemented yet", null));
      }
    }
    return new Applied(value, errors);
  }
}
