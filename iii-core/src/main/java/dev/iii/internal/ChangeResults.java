package dev.iii.internal;

import dev.iii.UpdateOpError;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the results of the engine's state and stream functions for the typed helpers: values
 * (absent or JSON {@code null} as {@code null}) and the {@code errors} of an update. Stateless.
 */
public final class ChangeResults {

  private ChangeResults() {}

  /** A value converted to {@code type}; {@code null} when it is absent or JSON {@code null}. */
  public static <T> @Nullable T value(JsonMapper mapper, @Nullable JsonNode node, Class<T> type) {
    return node == null || node.isNull() || node.isMissingNode()
        ? null
        : mapper.treeToValue(node, type);
  }

  /** The failed operations of a result ({@code {old_value, new_value, errors?}}), in order. */
  public static List<UpdateOpError> errors(JsonNode result) {
    List<UpdateOpError> errors = new ArrayList<>();
    for (JsonNode error : result.path("errors")) {
      JsonNode doc = error.get("doc_url");
      errors.add(
          new UpdateOpError(
              error.path("op_index").asInt(),
              error.path("code").asString(""),
              error.path("message").asString(""),
              doc == null || doc.isNull() ? null : doc.asString()));
    }
    return errors;
  }
}
