package dev.iii.engine.modules.channels;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One item travelling through a channel: a text frame (a message, e.g. an HTTP control message) or
 * a binary chunk (data). Text and binary items share one ordered queue.
 *
 * @param text whether this is a text frame
 * @param bytes the payload (UTF-8 for text)
 */
public record ChannelItem(boolean text, byte[] bytes) {

  public ChannelItem {
    Objects.requireNonNull(bytes, "bytes");
  }

  public static ChannelItem text(String message) {
    return new ChannelItem(true, message.getBytes(StandardCharsets.UTF_8));
  }

  public static ChannelItem binary(byte[] data) {
    return new ChannelItem(false, data);
  }

  /** The payload of a text item as a string. */
  public String asText() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
