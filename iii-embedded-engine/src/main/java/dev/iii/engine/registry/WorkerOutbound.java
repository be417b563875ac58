package dev.iii.engine.registry;

import dev.iii.protocol.Message;

/** Where messages for one worker go; implemented by the transport. */
public interface WorkerOutbound {

  /**
   * Queues a message for the worker without blocking.
   *
   * @return {@code false} when the connection is already closed (the message is dropped)
   */
  boolean send(Message message);
}
