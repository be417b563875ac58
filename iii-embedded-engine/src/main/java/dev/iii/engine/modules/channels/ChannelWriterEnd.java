package dev.iii.engine.modules.channels;

import reactor.core.publisher.Mono;

/** The writing end of a channel, taken once (by a WebSocket client or by the engine itself). */
public interface ChannelWriterEnd {

  /**
   * Queues an item. The returned {@code Mono} completes once the item is in the channel's buffer:
   * while the buffer is full it waits, which is how a slow reader slows the writer down. Nothing is
   * ever dropped; if the reading end has gone, it completes with an error.
   *
   * <p>The item is queued by the call itself, in call order, whether or not the {@code Mono} is
   * subscribed; subscribing only waits for the outcome (cancelling that wait does not withdraw the
   * item). A writer that waits for each write before the next holds at most one item beyond the
   * buffer. Writing after {@link #close()} fails.
   */
  Mono<Void> write(ChannelItem item);

  /** Ends the stream: the reader gets every buffered item, then end-of-stream. Idempotent. */
  void close();
}
