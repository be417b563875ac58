package dev.iii.state;

import dev.iii.UpdateOpError;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code state::update} did: the official {@code StateUpdateResult} ({@code {old_value,
 * new_value, errors?}}).
 *
 * @param oldValue the value before, or {@code null} when the key did not exist (it then started as
 *     {@code {}})
 * @param newValue the value after the operations that applied
 * @param errors the operations that failed and were skipped, in order; empty when all applied
 * @param <T> the type values were converted to
 */
public record StateUpdateResult<T>(
    @Nullable T oldValue, @Nullable T newValue, List<UpdateOpError> errors) {

  /** Copies {@code errors}. */
  public StateUpdateResult {
    errors = List.copyOf(errors);
  }

  /** Whether every operation applied. */
  public boolean succeeded() {
    return errors.isEmpty();
  }
}
