package dev.iii.engine.modules.channels;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Channels created through {@code engine::channels::create} (and by engine modules). A channel has
 * one id and one access key shared by its two ends; each end connects once to the channel endpoint.
 *
 * <p>A channel leaves the registry when {@link #remove removed}, when both its ends have finished
 * (writer closed, reader completed or cancelled), or when the {@link #sweep() sweep} finds it older
 * than {@link #CHANNEL_TTL} with an end nobody took.
 */
public final class ChannelRegistry {

  /** Default buffer size, in frames, when the caller gives none. */
  public static final int DEFAULT_BUFFER_SIZE = 64;

  /** Largest buffer size a caller may ask for. */
  public static final int MAX_BUFFER_SIZE = 1024;

  /** Age after which the sweep removes a channel with an end never taken (as the engine does). */
  public static final Duration CHANNEL_TTL = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private final LongSupplier clockMs;
  private final long ttlMs;

  public ChannelRegistry() {
    this(System::currentTimeMillis, CHANNEL_TTL);
  }

  /**
   * @param clockMs the current time in epoch milliseconds (creation times and {@link #sweep()})
   * @param ttl how old a channel with an untaken end must be for the sweep to remove it
   */
  ChannelRegistry(LongSupplier clockMs, Duration ttl) {
    this.clockMs = clockMs;
    this.ttlMs = ttl.toMillis();
  }

  /** Creates a channel; the buffer size is clamped to {@code [1, MAX_BUFFER_SIZE]}. */
  public Channel create(int bufferSize) {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    Channel channel =
        new Channel(
            UUID.randomUUID().toString(),
            Base64.getUrlEncoder().withoutPadding().encodeToString(key),
            Math.max(1, Math.min(MAX_BUFFER_SIZE, bufferSize)),
            clockMs.getAsLong(),
            finished -> channels.remove(finished.id(), finished));
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

  /**
   * Forgets a channel: it can no longer be found, so nobody can connect to it. Ends already taken
   * keep working until they finish. An end nobody took is released as in the official engine: a
   * writer never taken counts as closed (a reader gets the buffered items, then end-of-stream), a
   * reader never taken counts as gone (writes fail).
   *
   * @return whether the channel was registered
   */
  public boolean remove(String id) {
    Channel channel = channels.remove(id);
    if (channel == null) {
      return false;
    }
    channel.releaseUntakenEnds();
    return true;
  }

  /**
   * Removes (as {@link #remove} does) every channel older than {@link #CHANNEL_TTL} with at least
   * one end never taken. The engine runs it every minute.
   *
   * @return how many channels were removed
   */
  public int sweep() {
    return sweep(clockMs.getAsLong());
  }

  /**
   * {@link #sweep()} as if the time were {@code nowMs} (epoch milliseconds, the clock of {@link
   * Channel#createdAtMs()}).
   */
  public int sweep(long nowMs) {
    int removed = 0;
    for (Channel channel : channels.values()) {
      if (nowMs - channel.createdAtMs() > ttlMs
          && channel.hasUntakenEnd()
          && channels.remove(channel.id(), channel)) {
        channel.releaseUntakenEnds();
        removed++;
      }
    }
    return removed;
  }

  /** Number of registered channels. */
  public int size() {
    return channels.size();
  }
}
