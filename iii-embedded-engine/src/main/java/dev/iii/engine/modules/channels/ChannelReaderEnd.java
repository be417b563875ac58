package dev.iii.engine.modules.channels;

import reactor.core.publisher.Flux;

/** The reading end of a channel, taken once (by a WebSocket client or by the engine itself). */
public interface ChannelReaderEnd {

  /**
   * The items in the order they were written; completes when the writer has closed and the buffer
   * is drained. Subscribe once. Requesting slowly slows the writer down (the buffer fills);
   * cancelling releases the channel, and later writes fail.
   */
  Flux<ChannelItem> items();
}
