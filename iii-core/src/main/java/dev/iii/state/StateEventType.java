package dev.iii.state;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What changed a state key: the official {@code StateEventType} ({@code event_type}). */
public enum StateEventType {
  /** {@code state:created}: a set or update of a key that did not exist. */
  @JsonProperty("state:created")
  CREATED("state:created"),
  /** {@code state:updated}: a set or update of an existing key. */
  @JsonProperty("state:updated")
  UPDATED("state:updated"),
  /** {@code state:deleted}: a delete (fired even when the key did not exist). */
  @JsonProperty("state:deleted")
  DELETED("state:deleted");

  private final String wireName;

  StateEventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire, e.g. {@code state:created}. */
  public String wireName() {
    return wireName;
  }
}
