package dev.iii.internal;

import dev.iii.IIIException;
import org.jspecify.annotations.Nullable;

/** What the worker does with the events of its {@link EngineConnection}. */
public interface ConnectionHandler {

  /**
   * On the actor, once a socket is open and before any call may use it: send what must come first
   * (reattach, registrations, calls made while offline, worker metadata).
   *
   * @return how many offline calls were sent, for the log
   */
  int opened(Session session);

  /** On the socket's I/O thread: one inbound message. Must not block. */
  void message(Session session, byte[] payload, boolean binary);

  /** On the actor: the session is closed; {@code cause} says why, if known. */
  void closed(Session session, @Nullable Throwable cause);

  /** On the actor: the connection stopped for good (FAILED); nothing will be sent any more. */
  void gaveUp(IIIException failure);
}
