package dev.iii;

import java.time.Duration;
import java.util.Objects;

/**
 * How the client reconnects after losing the engine: exponential backoff with jitter. The delay
 * before attempt {@code n} (from 0) is {@code min(initialDelay × multiplier^n, maxDelay)}, moved at
 * random by up to ± {@code jitter} of itself.
 *
 * @param initialDelay delay before the first retry (1 s)
 * @param maxDelay upper bound of the delay (30 s)
 * @param multiplier growth factor per attempt (2)
 * @param jitter random spread, 0 to 1 (0.3)
 * @param maxRetries attempts before giving up in state {@link ConnectionState#FAILED}; -1 never
 *     gives up (the default)
 */
public record ReconnectionConfig(
    Duration initialDelay, Duration maxDelay, double multiplier, double jitter, int maxRetries) {

  /** The official SDKs' defaults: 1 s, 30 s, ×2, 0.3 jitter, retry forever. */
  public static final ReconnectionConfig DEFAULT =
      new ReconnectionConfig(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.3, -1);

  public ReconnectionConfig {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (initialDelay.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException("reconnection delays must not be negative");
    }
    if (!(multiplier >= 1.0)) { // also rejects NaN
      throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
    }
    if (maxRetries < -1) {
      throw new IllegalArgumentException(
          "maxRetries must be -1 (forever) or more, was " + maxRetries);
    }
  }

  /**
   * The delay before retry number {@code attempt} (0-based).
   *
   * @param random a value in [0, 1) that places the delay within the jitter band
   */
  public Duration delay(int attempt, double random) {
    double capped =
        Math.min(
            initialDelay.toMillis() * Math.pow(multiplier, attempt), (double) maxDelay.toMillis());
    double jittered = capped + capped * jitter * (2 * random - 1);
    return Duration.ofMillis((long) Math.max(0, jittered));
  }

  public ReconnectionConfig withInitialDelay(Duration value) {
    return new ReconnectionConfig(value, maxDelay, multiplier, jitter, maxRetries);
  }

  public ReconnectionConfig withMaxDelay(Duration value) {
    return new ReconnectionConfig(initialDelay, value, multiplier, jitter, maxRetries);
  }

  public ReconnectionConfig withMultiplier(double value) {
    return new ReconnectionConfig(initialDelay, maxDelay, value, jitter, maxRetries);
  }

  public ReconnectionConfig withJitter(double value) {
    return new ReconnectionConfig(initialDelay, maxDelay, multiplier, value, maxRetries);
  }

  public ReconnectionConfig withMaxRetries(int value) {
    return new ReconnectionConfig(initialDelay, maxDelay, multiplier, jitter, value);
  }
}
