package dev.iii.engine.modules.channels;

import dev.iii.protocol.ChannelRef;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A registered channel id with its access keys (one per end, {@link ChannelKeys}): the channel
 * itself, or a reservation for one that is built only when somebody first opens an end. Refs can be
 * handed out for a reservation at the cost of an id and two keys; an HTTP request gives its
 * function two refs that are mostly never used.
 *
 * <p>Thread-safe: opening and removing are serialised on this object, so the channel is built at
 * most once, its {@code onOpen} action runs before anybody else can take an end, and a removed
 * reservation can no longer be opened.
 */
public final class ChannelSlot {

  private final String id;
  private final ChannelKeys keys;
  private final int bufferSize;
  private final long createdAtMs;
  private final Consumer<ChannelSlot> onFinished;

  // ---- guarded by this
  private @Nullable Consumer<Channel> onOpen;
  private @Nullable Channel channel;
  private boolean removed;

  // ----

  ChannelSlot(
      String id,
      ChannelKeys keys,
      int bufferSize,
      long createdAtMs,
      Consumer<ChannelSlot> onFinished,
      @Nullable Consumer<Channel> onOpen) {
    this.id = id;
    this.keys = keys;
    this.bufferSize = bufferSize;
    this.createdAtMs = createdAtMs;
    this.onFinished = onFinished;
    this.onOpen = onOpen;
  }

  /** The channel id. */
  public String id() {
    return id;
  }

  /** A ref to one end, to hand to a worker: the channel id and that end's own key. */
  public ChannelRef ref(ChannelRef.Direction direction) {
    return new ChannelRef(id, keys.of(direction), direction);
  }

  ChannelKeys keys() {
    return keys;
  }

  long createdAtMs() {
    return createdAtMs;
  }

  /**
   * The channel, built on first use: then {@code onOpen} runs, before the caller gets it (so an end
   * the engine keeps for itself is taken before anybody else can take it).
   *
   * @return {@code null} once the slot was removed
   */
  synchronized @Nullable Channel open() {
    if (removed) {
      return null;
    }
    Channel built = channel;
    if (built == null) {
      built = new Channel(id, keys, bufferSize, createdAtMs, done -> onFinished.accept(this));
      channel = built;
      Consumer<Channel> action = onOpen;
      onOpen = null;
      if (action != null) {
        action.accept(built);
      }
    }
    return built;
  }

  /**
   * Marks the slot removed, so that it can no longer be opened.
   *
   * @return the channel if it was built, for the caller to release its untaken ends
   */
  synchronized @Nullable Channel remove() {
    removed = true;
    onOpen = null;
    return channel;
  }

  /** Whether an end was never taken (a reservation nobody opened has two). */
  boolean hasUntakenEnd() {
    Channel built;
    synchronized (this) {
      built = channel;
    }
    return built == null || built.hasUntakenEnd();
  }

  @Override
  public String toString() {
    return "ChannelSlot[" + id + "]";
  }
}
