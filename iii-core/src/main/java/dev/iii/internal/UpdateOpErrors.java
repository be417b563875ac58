package dev.iii.internal;

import dev.iii.UpdateOpError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code errors} of a {@code state::update} or {@code stream::update} result. Stateless.
 */
public final class UpdateOpErrors {

  private UpdateOpErrors() {}

  /** The failed operations of a result ({@code {old_value, new_value, errors?}}), in order. */
  public static List<UpdateOpError> of(JsonNode result) {
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
