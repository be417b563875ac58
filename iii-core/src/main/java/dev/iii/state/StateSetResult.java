package dev.iii.state;

import org.jspecify.annotations.Nullable;

/**
 * What {@code state::set} did: the official {@code StateSetResult} ({@code {old_value,
 * new_value}}).
 *
 * @param oldValue the value the key had before, or {@code null} when the key was created
 * @param newValue the value now stored
 * @param <T> the type values were converted to
 */
public record StateSetResult<T>(@Nullable T oldValue, @Nullable T newValue) {

  /** Whether the key did not exist before (the engine fired {@code state:created}). */
  public boolean created() {
    return oldValue == null;
  }
}
