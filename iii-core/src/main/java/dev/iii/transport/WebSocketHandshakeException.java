package dev.iii.transport;

/** The server answered the WebSocket handshake with an HTTP status other than 101. */
public final class WebSocketHandshakeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  public WebSocketHandshakeException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the server answered with, e.g. 404. */
  public int status() {
    return status;
  }
}
