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
  /**
   * Stopped for good: reconnection gave up after {@link ReconnectionConfig#maxRetries()} attempts,
   * or the engine refused this worker (an {@code error} frame from an engine with access control, a
   * worker-level {@code registrationrejected}), which retrying would not change. {@link
   * IIIClient#fatalError()} says why; {@link IIIClient#connect()} starts over.
   */
  FAILED
}
