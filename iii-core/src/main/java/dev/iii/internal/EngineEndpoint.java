package dev.iii.internal;

import dev.iii.ConnectionState;
import dev.iii.IIIException;
import org.jspecify.annotations.Nullable;

/**
 * The write path of calls (Lettuce's endpoint): straight onto the open session from the caller's
 * thread, or — while disconnected, or while a registration waits for the actor — through the actor,
 * into the offline queue, which is sent first thing on the next connection. Lock-free on the hot
 * path: two volatile reads and a queue offer.
 *
 * <p>A call is in {@link PendingCalls} from before it is sent; whoever removes it from there ends
 * it. So a call sent on a session that closes under it either fails with {@code connection_lost}
 * (the close saw it) or goes to the offline queue (its send saw the close) — never both, never
 * neither.
 */
public final class EngineEndpoint {

  private final EngineConnection connection;
  private final PendingCalls pendingCalls;
  private final Registrations registrations;

  /** Owned by the connection's actor. */
  private final OfflineQueue offline;

  public EngineEndpoint(
      EngineConnection connection,
      PendingCalls pendingCalls,
      Registrations registrations,
      int queueSize) {
    this.connection = connection;
    this.pendingCalls = pendingCalls;
    this.registrations = registrations;
    this.offline = new OfflineQueue(queueSize, pendingCalls);
  }

  /**
   * Sends a call, or queues it while disconnected. Never blocks.
   *
   * @param call the pending call waiting for the answer, or {@code null} for fire-and-forget
   * @throws IIIException for fire-and-forget, when the client is shut down or gave up connecting (a
   *     pending call fails instead)
   */
  public void send(byte[] frame, @Nullable PendingCall<?> call, String functionId) {
    IIIException refused = refusal(functionId);
    if (refused != null) {
      if (call == null) {
        throw refused;
      }
      pendingCalls.fail(call, refused);
      return;
    }
    Session session = connection.current();
    // Straight out, unless a registration still waits for the actor: then behind it.
    if (session != null && registrations.settled()) {
      if (call != null) {
        call.sending(session, frame, false);
      }
      if (session.send(frame)) {
        return;
      }
      if (call != null) {
        call.sentOn = null; // the session is closing: the call waits for the next one
      }
    }
    boolean madeOffline = session == null;
    connection.execute(() -> sendOrQueue(frame, call, functionId, madeOffline));
  }

  /**
   * Sends a call again that the engine answered {@code function_not_found} after an outage ({@link
   * NotFoundRetries}); any thread.
   */
  void resend(PendingCall<?> call) {
    byte[] frame = call.resendable;
    if (frame != null) {
      send(frame, call, call.functionId);
    }
  }

  /** On the actor: a socket just opened; sends what was queued. */
  int flush(Session session) {
    int sent = 0;
    for (OfflineQueue.Queued queued : offline.drain()) {
      PendingCall<?> call = queued.call();
      if (call != null) {
        if (!pendingCalls.isPending(call)) {
          continue; // timed out while offline
        }
        call.sending(session, queued.frame(), true);
      }
      session.send(queued.frame());
      sent++;
    }
    return sent;
  }

  /** On the actor: nothing will be sent any more. */
  public void failQueued(IIIException failure) {
    offline.failAll(failure);
  }

  /**
   * On the actor.
   *
   * @param madeOffline whether the caller found no open session (made during an outage)
   */
  private void sendOrQueue(
      byte[] frame, @Nullable PendingCall<?> call, String functionId, boolean madeOffline) {
    if (call != null && !pendingCalls.isPending(call)) {
      return; // ended meanwhile (timeout, or its session's close)
    }
    Session session = connection.current();
    if (session != null) {
      if (call != null) {
        call.sending(session, frame, madeOffline);
      }
      if (session.send(frame)) {
        return;
      }
      if (call != null) {
        call.sentOn = null;
      }
    }
    IIIException refused = refusal(functionId);
    if (refused != null) {
      if (call != null) {
        pendingCalls.fail(call, refused);
      }
      return;
    }
    offline.add(new OfflineQueue.Queued(frame, call, functionId));
  }

  private @Nullable IIIException refusal(String functionId) {
    if (connection.isShutDown()) {
      return new IIIException(IIIException.SHUTDOWN, "client is shut down", functionId, null, null);
    }
    if (connection.state() == ConnectionState.FAILED) {
      return new IIIException(
          IIIException.CONNECTION_FAILED,
          "not connected: reconnection gave up",
          functionId,
          null,
          null);
    }
    return null;
  }
}
