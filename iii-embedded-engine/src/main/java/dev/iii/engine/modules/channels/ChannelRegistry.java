package dev.iii.engine.modules.channels;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Channels created through {@code engine::channels::create}. A channel has one id and one access
 * key shared by its two ends; each end connects once to the channel endpoint.
 */
public final class ChannelRegistry {

  /** Default buffer size, in frames, when the caller gives none. */
  public static final int DEFAULT_BUFFER_SIZE = 64;

  /** Largest buffer size a caller may ask for. */
  public static final int MAX_BUFFER_SIZE = 1024;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Channel> channels = new ConcurrentHashMap<>();

  /** Creates a channel; the buffer size is clamped to {@code [1, MAX_BUFFER_SIZE]}. */
  public Channel create(int bufferSize) {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    Channel channel =
        new Channel(
            UUID.randomUUID().toString(),
            Base64.getUrlEncoder().withoutPadding().encodeToString(key),
            Math.max(1, Math.min(MAX_BUFFER_SIZE, bufferSize)));
    channels.put(channel.id(), channel);
    return channel;
  }

  /** The channel with this id, if the key matches. */
  public Optional<Channel> find(String id, String accessKey) {
    Channel channel = channels.get(id);
    return channel != null && channel.accessKey().equals(accessKey)
        ? Optional.of(channel)
        : Optional.empty();
  }

  public int size() {
    return channels.size();
  }
}
