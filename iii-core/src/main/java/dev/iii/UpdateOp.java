package dev.iii;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One operation of {@code state::update} and {@code stream::update} ({@link
 * dev.iii.state.State#update}, {@link dev.iii.stream.Streams#update}), written as the official
 * {@code UpdateOp} (internally tagged by {@code type}):
 *
 * <ul>
 *   <li>{@code {"type": "set", "path", "value"}} — a top-level field ({@code ""}: the whole value)
 *   <li>{@code {"type": "increment" | "decrement", "path", "by"}} — integer arithmetic on a field
 *       (a missing field counts as 0)
 *   <li>{@code {"type": "remove", "path"}}
 *   <li>{@code {"type": "merge", "path"?, "value"}} — shallow merge of an object into the value, a
 *       field, or a nested location given as literal segments
 *   <li>{@code {"type": "append", "path"?, "value"}} — push to an array, or concatenate a string
 * </ul>
 *
 * <p>A string path names one top-level field (dots are not separators); a list path names nested
 * literal segments. The engine validates and reports a failed operation in {@link
 * dev.iii.state.StateUpdateResult#errors()}; the others still apply. Immutable.
 */
public final class UpdateOp {

  private final Map<String, @Nullable Object> wire;

  private UpdateOp(String type, @Nullable Object path, String field, @Nullable Object value) {
    Map<String, @Nullable Object> op = new LinkedHashMap<>();
    op.put("type", type);
    if (path != null) {
      op.put("path", path);
    }
    if (!field.isEmpty()) {
      op.put(field, value);
    }
    this.wire = Collections.unmodifiableMap(op);
  }

  /** Sets the top-level field {@code path} to {@code value} ({@code ""}: replaces the value). */
  public static UpdateOp set(String path, @Nullable Object value) {
    return new UpdateOp("set", Objects.requireNonNull(path, "path"), "value", value);
  }

  /** Adds {@code by} to the integer field {@code path} (a missing field counts as 0). */
  public static UpdateOp increment(String path, long by) {
    return new UpdateOp("increment", Objects.requireNonNull(path, "path"), "by", by);
  }

  /** Subtracts {@code by} from the integer field {@code path} (a missing field counts as 0). */
  public static UpdateOp decrement(String path, long by) {
    return new UpdateOp("decrement", Objects.requireNonNull(path, "path"), "by", by);
  }

  /** Removes the top-level field {@code path}. */
  public static UpdateOp remove(String path) {
    return new UpdateOp("remove", Objects.requireNonNull(path, "path"), "", null);
  }

  /** Merges the top-level keys of the object {@code value} into the value itself. */
  public static UpdateOp merge(Object value) {
    return new UpdateOp("merge", null, "value", Objects.requireNonNull(value, "value"));
  }

  /** Merges the object {@code value} into the top-level field {@code path}. */
  public static UpdateOp merge(String path, Object value) {
    return new UpdateOp(
        "merge", Objects.requireNonNull(path, "path"), "value", Objects.requireNonNull(value));
  }

  /**
   * Merges the object {@code value} at a nested location, one literal key per segment (missing or
   * non-object steps become {@code {}}).
   */
  public static UpdateOp merge(List<String> path, Object value) {
    return new UpdateOp("merge", List.copyOf(path), "value", Objects.requireNonNull(value));
  }

  /** Appends {@code value} to the value itself (an array, or a string when both are strings). */
  public static UpdateOp append(@Nullable Object value) {
    return new UpdateOp("append", null, "value", value);
  }

  /**
   * Appends {@code value} to the top-level field {@code path}: pushes to an array, concatenates to
   * a string; a missing field becomes the string or {@code [value]}.
   */
  public static UpdateOp append(String path, @Nullable Object value) {
    return new UpdateOp("append", Objects.requireNonNull(path, "path"), "value", value);
  }

  /** Appends {@code value} at a nested location, one literal key per segment. */
  public static UpdateOp append(List<String> path, @Nullable Object value) {
    return new UpdateOp("append", List.copyOf(path), "value", value);
  }

  /** The operation's {@code type}: {@code set}, {@code increment}, {@code merge}… */
  public String type() {
    return (String) Objects.requireNonNull(wire.get("type"));
  }

  /** The operation as sent: a map Jackson writes as the official JSON object. */
  public Map<String, @Nullable Object> toWire() {
    return wire;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof UpdateOp op && op.wire.equals(wire);
  }

  @Override
  public int hashCode() {
    return wire.hashCode();
  }

  @Override
  public String toString() {
    return "UpdateOp" + wire;
  }
}
