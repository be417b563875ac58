package dev.iii.transport;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link WebSocket} tells its owner. Methods run on the transport's I/O thread, one at a
 * time and in order, and must neither block nor throw.
 */
public interface WebSocketListener {

  /** The handshake succeeded. */
  default void onOpen(WebSocket socket) {}

  /**
   * A whole message arrived (fragments joined).
   *
   * @param payload the UTF-8 text of a text message, or the bytes of a binary one; owned by the
   *     listener from now on
   */
  void onMessage(WebSocket socket, byte[] payload, boolean binary);

  /**
   * The messages delivered so far are all that is readable now: a good moment to hand work that
   * piled up to other threads in one go. Transports that cannot tell call it after every message.
   */
  default void onReadComplete(WebSocket socket) {}

  /**
   * The socket is closed. Called exactly once.
   *
   * @param code the status of the peer's Close frame, else of ours once it was written, else 1006
   *     (the connection ended without a Close)
   * @param reason the reason of the peer's Close frame, if any
   * @param failure why the socket failed (handshake refused or failed, connection reset, timeout),
   *     or {@code null} when it closed normally; a refused handshake is a {@link
   *     WebSocketHandshakeException}
   */
  void onClosed(WebSocket socket, int code, @Nullable String reason, @Nullable Throwable failure);
}
