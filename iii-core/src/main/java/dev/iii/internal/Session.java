package dev.iii.internal;

import dev.iii.transport.WebSocket;
import dev.iii.transport.WebSocketListener;
import dev.iii.transport.WebSocketRequest;
import dev.iii.transport.WebSocketTransport;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One socket to the engine, from its handshake to its close: what a sent call or an invocation
 * belongs to. Concurrency: sending is safe from any thread and never blocks; the socket's callbacks
 * (on its I/O thread) are handed to the owning {@link EngineConnection}; the other fields are
 * volatile.
 */
public final class Session implements WebSocketListener {

  private final EngineConnection connection;
  private final int number;

  /** Results read in one go, completed together; touched by the socket's I/O thread only. */
  private final PendingCalls.Batch completions;

  private volatile @Nullable WebSocket socket;
  private volatile boolean open;

  /** When the last frame arrived ({@link System#nanoTime()}), for the idle timeout. */
  private volatile long lastInbound = System.nanoTime();

  /** Why this side dropped the socket, if it did (reported as the close's cause). */
  private volatile @Nullable Throwable abortCause;

  private volatile @Nullable Heartbeat heartbeat;

  /** Whether an earlier session of the client had opened: this one follows an outage. */
  private volatile boolean reconnected;

  /** Until when ({@link System#nanoTime()}) a call answered function_not_found may be re-sent. */
  private volatile long graceEnd;

  Session(EngineConnection connection, int number, PendingCalls.Batch completions) {
    this.connection = connection;
    this.number = number;
    this.completions = completions;
  }

  void start(WebSocketTransport transport, WebSocketRequest request) {
    WebSocket opened = transport.connect(request, this);
    if (socket == null) {
      socket = opened;
    }
  }

  /** Whether the socket is open (handshake done, not closed). */
  public boolean isOpen() {
    return open;
  }

  /**
   * Queues a protocol message.
   *
   * @return {@code false} when the socket is not open (the message is dropped)
   */
  public boolean send(byte[] frame) {
    WebSocket current = socket;
    return open && current != null && current.send(frame, false);
  }

  /** Queues a binary frame (telemetry). */
  public boolean sendBinary(byte[] frame) {
    WebSocket current = socket;
    return open && current != null && current.send(frame, true);
  }

  /**
   * On the actor, when the socket has opened: whether it follows an earlier one, and until when
   * calls sent after the outage may be re-sent when the engine does not know their function.
   */
  void opened(boolean reconnected, long graceEnd) {
    this.graceEnd = graceEnd;
    this.reconnected = reconnected;
  }

  /** Whether an earlier session had opened: calls sent on this one follow an outage. */
  boolean reconnected() {
    return reconnected;
  }

  /** Until when ({@link System#nanoTime()}) calls sent after the outage may be re-sent. */
  long graceEnd() {
    return graceEnd;
  }

  /** The batch that results read on this socket join. */
  PendingCalls.Batch completions() {
    return completions;
  }

  void close(int code, String reason) {
    WebSocket current = socket;
    if (current != null) {
      current.close(code, reason);
    }
  }

  void abort() {
    WebSocket current = socket;
    if (current != null) {
      current.abort();
    }
  }

  /** Drops the socket at once; its close reports {@code cause}. */
  void abort(Throwable cause) {
    if (abortCause == null) {
      abortCause = cause;
    }
    abort();
  }

  /** Starts pinging and watching for silence; stops when the socket closes. */
  void startHeartbeat(Duration pingInterval, Duration idleTimeout, String address) {
    heartbeat = Heartbeat.start(this, pingInterval, idleTimeout, address);
    if (!open) {
      stopHeartbeat(); // closed meanwhile
    }
  }

  private void stopHeartbeat() {
    Heartbeat running = heartbeat;
    if (running != null) {
      running.stop();
    }
  }

  /** When the last frame arrived, in {@link System#nanoTime()} terms. */
  long lastInbound() {
    return lastInbound;
  }

  @Override
  public void onOpen(WebSocket opened) {
    socket = opened;
    lastInbound = System.nanoTime();
    open = true;
    connection.onOpen(this);
  }

  @Override
  public void onMessage(WebSocket from, byte[] payload, boolean binary) {
    lastInbound = System.nanoTime();
    connection.onMessage(this, payload, binary);
  }

  @Override
  public void onReadComplete(WebSocket from) {
    completions.flush();
  }

  @Override
  public void onClosed(
      WebSocket closed, int code, @Nullable String reason, @Nullable Throwable failure) {
    open = false;
    stopHeartbeat();
    completions.flush();
    // Our own reason for dropping the socket explains the close better than how the transport
    // reports an abort (WebFlux: a CancellationException; Reactor Netty: a plain close).
    Throwable cause = abortCause;
    connection.onClosed(this, code, reason, cause != null ? cause : failure);
  }

  @Override
  public String toString() {
    return "Session#" + number;
  }
}
