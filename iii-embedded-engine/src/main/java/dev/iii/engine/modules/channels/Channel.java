package dev.iii.engine.modules.channels;

import java.util.Optional;

/**
 * A bounded, ordered queue of {@link ChannelItem}s between one writer and one reader. Either end
 * may be taken first, and each end only once. The buffer holds at most {@link #bufferSize()} items;
 * a writer waits while it is full.
 */
public final class Channel {

  private final String id;
  private final String accessKey;
  private final int bufferSize;
  private final long createdAtMs = System.currentTimeMillis();

  Channel(String id, String accessKey, int bufferSize) {
    this.id = id;
    this.accessKey = accessKey;
    this.bufferSize = bufferSize;
  }

  public String id() {
    return id;
  }

  public String accessKey() {
    return accessKey;
  }

  /** Capacity of the buffer, in items. */
  public int bufferSize() {
    return bufferSize;
  }

  public long createdAtMs() {
    return createdAtMs;
  }

  /** Takes the writing end; empty when it was taken before. */
  public Optional<ChannelWriterEnd> takeWriter() {
    throw new UnsupportedOperationException("TODO: channels");
  }

  /** Takes the reading end; empty when it was taken before. */
  public Optional<ChannelReaderEnd> takeReader() {
    throw new UnsupportedOperationException("TODO: channels");
  }
}
