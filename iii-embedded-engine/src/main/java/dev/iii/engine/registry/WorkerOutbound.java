package dev.iii.engine.registry;

import dev.iii.protocol.Message;
import java.util.concurrent.CompletionStage;

/** Where messages for one worker go; implemented by the transport. */
public interface WorkerOutbound {

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
