package dev.iii;

import org.jspecify.annotations.Nullable;

/**
 * A trigger handed to a {@link TriggerHandler}: the engine asks the provider of a trigger type to
 * arm or disarm it.
 *
 * @param id the trigger id
 * @param functionId the function to call when the trigger fires
 * @param config the trigger's configuration (JSON as plain Java values)
 * @param metadata the metadata the trigger was registered with (JSON as plain Java values, usually
 *     a {@code Map}; engine 0.22+), or {@code null}
 */
public record TriggerConfig(
    String id, String functionId, @Nullable Object config, @Nullable Object metadata) {

  /** A trigger without metadata. */
  public TriggerConfig(String id, String functionId, @Nullable Object config) {
    this(id, functionId, config, null);
  }
}
