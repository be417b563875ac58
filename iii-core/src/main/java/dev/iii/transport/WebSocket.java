package dev.iii.transport;

import java.util.concurrent.CompletableFuture;

/**
 * One WebSocket opened by a {@link WebSocketTransport}. Every method is thread-safe and returns at
 * once; frames are written in the order they were sent.
 */
public interface WebSocket {

  /**
   * Queues a frame. The hot path: no future, no wait.
   *
   * @param payload UTF-8 text for a text frame, or the bytes of a binary frame; not copied, so it
   *     must not change afterwards
   * @return {@code false} when the socket is closing or closed (the frame is dropped)
   */
  boolean send(byte[] payload, boolean binary);

  /**
   * Queues a frame and tells when it has been written to the network: for writers that must not run
   * ahead of a slow peer.
   *
   * @return completes once written; fails when the socket closes first
   */
  CompletableFuture<Void> sendAndAwaitWrite(byte[] payload, boolean binary);

  /**
   * Starts or stops reading from the network. While not reading, the peer's frames wait in TCP
   * buffers and the peer is slowed down. Sockets start reading.
   */
  void setReading(boolean reading);

  /**
   * Sends the queued frames, then a Close frame, then closes. The frames before the Close may wait
   * for a slow peer; {@link #abort()} ends the socket without waiting. Idempotent.
   */
  void close(int code, String reason);

  /** Drops the connection at once, without a Close frame (or cancels the handshake). */
  void abort();
}
