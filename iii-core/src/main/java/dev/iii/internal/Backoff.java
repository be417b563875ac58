package dev.iii.internal;

import dev.iii.ReconnectionConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconnect policy of one {@link EngineConnection}: counts the attempts since the last
 * successful connection, says how long to wait before the next, and logs the outages without
 * flooding. Owned by the connection's actor: every method runs there.
 */
final class Backoff {

  private static final Logger log = LoggerFactory.getLogger(EngineConnection.class);

  private final ReconnectionConfig config;
  private final String address;
  private int attempt;

  Backoff(ReconnectionConfig config, String address) {
    this.config = config;
    this.address = address;
  }

  /** A connection succeeded, or a new {@code connect()} starts over. */
  void reset() {
    attempt = 0;
  }

  /** The retries made since the last reset. */
  int attempts() {
    return attempt;
  }

  /**
   * A connection was lost, or an attempt failed.
   *
   * @param wasOpen whether it was an open connection (not an attempt)
   * @return how long to wait before the next attempt, or {@code null} when the retries are spent
   */
  @Nullable Duration next(boolean wasOpen, String why) {
    if (config.maxRetries() != -1 && attempt >= config.maxRetries()) {
      return null;
    }
    Duration delay = config.delay(attempt, ThreadLocalRandom.current().nextDouble());
    attempt++;
    if (wasOpen) {
      log.warn("Connection to iii engine at {} lost ({}); reconnecting", address, why);
    } else if (attempt % 10 == 1) {
      // The first failure and every tenth: a wrong address should not go unnoticed, nor flood logs.
      log.warn(
          "Cannot connect to iii engine at {} ({}); retry {} in {} ms",
          address,
          why,
          attempt,
          delay.toMillis());
    } else {
      log.debug(
          "Cannot connect to iii engine at {} ({}); retry {} in {} ms",
          address,
          why,
          attempt,
          delay.toMillis());
    }
    return delay;
  }
}
