package dev.iii.transport;

/**
 * Opens WebSockets for an iii client: its connection to the engine and the ends of channels.
 * Implementations are thread-safe; {@link #connect} never blocks.
 */
public interface WebSocketTransport {

  /**
   * Starts opening a WebSocket. The listener is then told, on one thread at a time and in order:
   * {@link WebSocketListener#onOpen} once the handshake succeeded, the messages received, and
   * {@link WebSocketListener#onClosed} exactly once — also when the handshake fails, in which case
   * {@code onOpen} is never called.
   *
   * @return the socket; frames sent before it opens are sent once it does
   */
  WebSocket connect(WebSocketRequest request, WebSocketListener listener);
}
