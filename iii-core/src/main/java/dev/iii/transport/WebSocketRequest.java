package dev.iii.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What to open.
 *
 * @param uri a {@code ws://} or {@code wss://} URL
 * @param headers extra handshake headers (e.g. for an engine with access control)
 * @param maxMessageBytes the largest message accepted from the peer, fragments joined
 * @param handshakeTimeout how long the handshake may take before the attempt fails
 */
public record WebSocketRequest(
    URI uri, Map<String, String> headers, int maxMessageBytes, Duration handshakeTimeout) {

  public WebSocketRequest {
    Objects.requireNonNull(uri, "uri");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
    }
  }
}
