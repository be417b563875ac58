package dev.iii;

/** The state of a client's connection to the engine. */
public enum ConnectionState {
  /** Not connected, and not trying: before {@code connect()} or after {@code shutdown()}. */
  DISCONNECTED,
  /** The first connection attempt is under way. */
  CONNECTING,
  /** Connected; registrations have been sent. */
  CONNECTED,
  /** The connection was lost; retrying with backoff. */
  RECONNECTING,
  /** Gave up after {@link ReconnectionConfig#maxRetries()} attempts. */
  FAILED
}
