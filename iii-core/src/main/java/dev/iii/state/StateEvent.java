package dev.iii.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The input of a function bound to a {@code state} trigger: the official {@code StateEventData}
 * ({@code {type: "state", event_type, scope, key, old_value, new_value}}). Register the handler
 * with this type to get it converted:
 *
 * <pre>{@code
 * iii.registerFunction("orders::on-change", StateEvent.class, event -> {
 *   if (event.eventType() == StateEventType.CREATED) { ... event.newValue() ... }
 *   return null;
 * });
 * iii.registerTrigger("state", "orders::on-change", Map.of("scope", "orders"));
 * }</pre>
 *
 * @param type always {@code state}
 * @param eventType created, updated or deleted
 * @param scope the key's scope
 * @param key the key
 * @param oldValue the value before, or {@code null} when the key was created (or did not exist)
 * @param newValue the value after, or {@code null} on delete
 */
public record StateEvent(
    String type,
    @JsonProperty("event_type") StateEventType eventType,
    String scope,
    String key,
    @JsonProperty("old_value") @Nullable JsonNode oldValue,
    @JsonProperty("new_value") @Nullable JsonNode newValue) {

  /** Turns a JSON {@code null} value into {@code null}. */
  public StateEvent {
    oldValue = oldValue == null || oldValue.isNull() ? null : oldValue;
    newValue = newValue == null || newValue.isNull() ? null : newValue;
  }
}
