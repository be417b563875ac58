package dev.iii.engine.modules.channels;

import dev.iii.protocol.ChannelRef;
import dev.iii.protocol.InvocationIds;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Channels created through {@code engine::channels::create} (and by engine modules). A channel has
 * one id and one access key per end ({@link ChannelKeys}): a reader ref cannot open the writer end,
 * nor a writer ref the reader end. Each end connects once to the channel endpoint. A channel may
 * also be {@link #reserve reserved}: its id and key exist, and the channel is built when an end is
 * first {@link #find found}.
 *
 * <p>A channel leaves the registry when {@link #remove removed}, when both its ends have finished
 * (writer closed, reader completed or cancelled), or when the {@link #sweep() sweep} finds it older
 * than {@link #CHANNEL_TTL} with an end nobody took.
 *
 * <p>Thread-safe: a concurrent map of {@link ChannelSlot}s, each of which guards itself.
 */
public final class ChannelRegistry {

  /** Default buffer size, in frames, when the caller gives none. */
  public static final int DEFAULT_BUFFER_SIZE = 64;

  /** Largest buffer size a caller may ask for. */
  public static final int MAX_BUFFER_SIZE = 1024;

  /** Age after which the sweep removes a channel with an end never taken (as the engine does). */
  public static final Duration CHANNEL_TTL = Duration.ofMinutes(5);

  private final Map<String, ChannelSlot> channels = new ConcurrentHashMap<>();
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
    return Objects.requireNonNull(newSlot(bufferSize, null).open());
  }

  /**
   * Reserves a channel: its id and key are registered now, the channel is built when an end is
   * first {@link #find found} (e.g. a worker connects to it). {@code onOpen} then runs first, on
   * the finder's thread, and must not block; it typically takes the end the engine keeps.
   *
   * @param bufferSize clamped to {@code [1, MAX_BUFFER_SIZE]}
   */
  public ChannelSlot reserve(int bufferSize, Consumer<Channel> onOpen) {
    return newSlot(bufferSize, onOpen);
  }

  private ChannelSlot newSlot(int bufferSize, @Nullable Consumer<Channel> onOpen) {
    // Ids only need to be unique: the key is what guards a channel, so they come from the
    // thread's own generator rather than the shared SecureRandom UUID.randomUUID() uses.
    String id = InvocationIds.random();
    ChannelSlot slot =
        new ChannelSlot(
            id,
            ChannelKeys.random(),
            Math.max(1, Math.min(MAX_BUFFER_SIZE, bufferSize)),
            clockMs.getAsLong(),
            finished -> channels.remove(finished.id(), finished),
            onOpen);
    channels.put(id, slot);
    return slot;
  }

  /**
   * The channel with this id, if {@code accessKey} is the key of the end to open (compared in
   * constant time); a reserved channel is built now.
   *
   * @param direction the end to open: a reader's key opens only the reader end, a writer's only the
   *     writer end
   * @return empty for an unknown id, a wrong key (the other end's included), or a channel removed
   *     meanwhile
   */
  public Optional<Channel> find(String id, String accessKey, ChannelRef.Direction direction) {
    ChannelSlot slot = channels.get(id);
    if (slot == null || !slot.keys().opens(direction, accessKey)) {
      return Optional.empty();
    }
    return Optional.ofNullable(slot.open());
  }

  /**
   * Forgets a channel: it can no longer be found, so nobody can connect to it. Ends already taken
   * keep working until they finish. An end nobody took is released as in the official engine: a
   * writer never taken counts as closed (a reader gets the buffered items, then end-of-stream), a
   * reader never taken counts as gone (writes fail). A reservation never opened simply goes.
   *
   * @return whether the channel was registered
   */
  public boolean remove(String id) {
    ChannelSlot slot = channels.remove(id);
    if (slot == null) {
      return false;
    }
    release(slot);
    return true;
  }

  private static void release(ChannelSlot slot) {
    Channel built = slot.remove();
    if (built != null) {
      built.releaseUntakenEnds();
    }
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
    for (ChannelSlot slot : channels.values()) {
      if (nowMs - slot.createdAtMs() > ttlMs
          && slot.hasUntakenEnd()
          && channels.remove(slot.id(), slot)) {
        release(slot);
        removed++;
      }
    }
    return removed;
  }

  /** Number of registered channels, reserved ones included. */
  public int size() {
    return channels.size();
  }
}
