package dev.iii.engine.registry;

import dev.iii.protocol.Message;
import java.util.concurrent.CompletionStage;

/** Where messages for one worker go; implemented by the transport. */
public interface WorkerOutbound {

  /** What became of an {@link #offer}. */
  enum Offer {
    /** Queued for the worker. */
    QUEUED,
    /** Refused: the worker has not read enough of what was already sent to it. */
    BUSY,
    /** Refused: the connection is closed. */
    CLOSED
  }

  /**
   * Queues a message the engine may refuse (an invocation for the worker to run). Unlike {@link
   * #send}, which must deliver (results, acknowledgements) and ends a connection that cannot take
   * more, an offer is refused while the worker has more waiting than it should be given, and the
   * connection stays: the caller is told, and the worker may catch up.
   */
  default Offer offer(Message message) {
    return send(message) ? Offer.QUEUED : Offer.CLOSED;
  }

  /**
   * Queues a message for the worker without blocking.
   *
   * @return {@code false} when the connection is already closed (the message is dropped)
   */
  boolean send(Message message);

  /**
   * Ends the connection exactly as a disconnect would, but after the messages it already received
   * have been handled: its later frames are dropped, the engine's clean-up for it runs once, and
   * the socket is closed (without a Close frame, as the official engine drops an evicted
   * connection).
   *
   * @return completes once the clean-up has run (at once when the connection had already ended)
   */
  CompletionStage<Void> retire();
}
