package dev.iii.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One operation of {@code stream::update}, written as the official {@code UpdateOp}: {@code
 * {"type": "set" | "merge" | "increment" | "decrement" | "append" | "remove", "path", "value" |
 * "by"}}. A path of {@code ""} is the value itself; a one-key path names a top-level field (dots
 * are not separators). Immutable.
 *
 * @param wire the operation as sent
 */
public record UpdateOp(Map<String, @Nullable Object> wire) {

  public UpdateOp {
    wire = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(wire));
  }

  private static UpdateOp of(
      String type, @Nullable Object path, String key, @Nullable Object value) {
    Map<String, @Nullable Object> op = new LinkedHashMap<>();
    op.put("type", type);
    if (path != null) {
      op.put("path", path);
    }
    if (key.equals("by") || value != null || type.equals("set")) {
      op.put(key, value);
    }
    return new UpdateOp(op);
  }

  /** Sets a field ({@code ""}: replaces the whole value). */
  public static UpdateOp set(String path, @Nullable Object value) {
    return of("set", path, "value", value);
  }

  /** Adds {@code by} to a numeric field (a missing field counts as 0). */
  public static UpdateOp increment(String path, long by) {
    return of("increment", path, "by", by);
  }

  /** Subtracts {@code by} from a numeric field. */
  public static UpdateOp decrement(String path, long by) {
    return of("decrement", path, "by", by);
  }

  /** Removes a field. */
  public static UpdateOp remove(String path) {
    return of("remove", path, "value", null);
  }

  /** Merges an object into the value itself. */
  public static UpdateOp merge(Object value) {
    return of("merge", null, "value", value);
  }

  /** Merges an object at a nested path, given as segments. */
  public static UpdateOp merge(List<String> path, Object value) {
    return of("merge", List.copyOf(path), "value", value);
  }

  /** Appends to an array (or concatenates to a string) field. */
  public static UpdateOp append(String path, Object value) {
    return of("append", path, "value", value);
  }
}
