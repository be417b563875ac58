package dev.iii.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A serialisable reference to one end of a channel, written on the wire as {@code {"channel_id",
 * "access_key", "direction"}}. Whoever holds it can open that end once; pass it in call data to
 * hand the end to another function.
 *
 * @param channelId the channel's id
 * @param accessKey the secret that opens the channel (the same for both ends)
 * @param direction which end this is, seen from the holder
 */
public record ChannelRef(
    @JsonProperty(value = "channel_id", required = true) String channelId,
    @JsonProperty(value = "access_key", required = true) String accessKey,
    @JsonProperty(value = "direction", required = true) Direction direction) {

  /** Which end of a channel a ref opens. */
  public enum Direction {
    /** The end that receives what the writer sends ({@code "read"} on the wire). */
    @JsonProperty("read")
    READ,
    /** The end that sends ({@code "write"} on the wire). */
    @JsonProperty("write")
    WRITE;

    /** The wire name: {@code read} or {@code write}. */
    public String wireName() {
      return this == READ ? "read" : "write";
    }
  }

  /** Validates that every part is present. */
  public ChannelRef {
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(direction, "direction");
  }

  /** This ref with another direction (both ends share the id and key). */
  public ChannelRef withDirection(Direction newDirection) {
    return newDirection == direction ? this : new ChannelRef(channelId, accessKey, newDirection);
  }

  /**
   * Reads a ref from plain Java values, as the iii SDKs detect them: a map with string {@code
   * channel_id} and {@code access_key} and a {@code direction} of {@code "read"} or {@code
   * "write"}.
   *
   * @return the ref, or {@code null} when {@code value} is not shaped like one
   */
  public static @Nullable ChannelRef parse(@Nullable Object value) {
    if (!(value instanceof Map<?, ?> map)
        || !(map.get("channel_id") instanceof String id)
        || !(map.get("access_key") instanceof String key)
        || !(map.get("direction") instanceof String dir)) {
      return null;
    }
    return switch (dir) {
      case "read" -> new ChannelRef(id, key, Direction.READ);
      case "write" -> new ChannelRef(id, key, Direction.WRITE);
      default -> null;
    };
  }

  /** The wire form as plain Java values, e.g. to put into a {@code Map} of call data. */
  public Map<String, String> toMap() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("channel_id", channelId);
    map.put("access_key", accessKey);
    map.put("direction", direction.wireName());
    return map;
  }
}
