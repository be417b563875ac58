package dev.iii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unit tests of {@link ReconnectionConfig}: the backoff formula and argument validation. */
class ReconnectionConfigTest {

  private static final ReconnectionConfig NO_JITTER =
      new ReconnectionConfig(Duration.ofMillis(100), Duration.ofMillis(1000), 2.0, 0.0, -1);

  @Test
  void defaultsAreThoseOfTheOfficialSdks() {
    assertThat(ReconnectionConfig.DEFAULT)
        .isEqualTo(
            new ReconnectionConfig(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.3, -1));
  }

  @ParameterizedTest
  @CsvSource({"0, 100", "1, 200", "2, 400", "3, 800", "4, 1000", "5, 1000", "30, 1000"})
  void delayGrowsByTheMultiplierUpToTheMaximum(int attempt, long expectedMillis) {
    assertThat(NO_JITTER.delay(attempt, 0.0)).isEqualTo(Duration.ofMillis(expectedMillis));
    assertThat(NO_JITTER.delay(attempt, 0.99)).isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @ParameterizedTest
  @CsvSource({
    // attempt, random, expected ms: capped + capped * 0.3 * (2 * random - 1)
    "0, 0.5, 1000",
    "0, 0.0, 700",
    "0, 1.0, 1300",
    "0, 0.25, 850",
    "0, 0.75, 1150",
    "2, 0.0, 2800",
    "2, 1.0, 5200",
    "5, 0.5, 30000",
    "5, 0.0, 21000",
    "5, 1.0, 39000",
    "40, 1.0, 39000"
  })
  void jitterMovesTheCappedDelayWithinTheBand(int attempt, double random, long expectedMillis) {
    assertThat(ReconnectionConfig.DEFAULT.delay(attempt, random))
        .isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @Test
  void delayIsTheFormulaForManyInputs() {
    ReconnectionConfig config =
        new ReconnectionConfig(Duration.ofMillis(20), Duration.ofMillis(5000), 1.5, 0.4, 3);
    for (int attempt = 0; attempt < 20; attempt++) {
      for (double random = 0.0; random < 1.0; random += 0.05) {
        double capped = Math.min(20 * Math.pow(1.5, attempt), 5000);
        double expected = Math.max(0, capped + capped * 0.4 * (2 * random - 1));
        assertThat(config.delay(attempt, random).toMillis())
            .as("attempt %d, random %f", attempt, random)
            .isEqualTo((long) expected);
      }
    }
  }

  @Test
  void fullJitterNeverGoesBelowZero() {
    ReconnectionConfig full = ReconnectionConfig.DEFAULT.withJitter(1.0);
    assertThat(full.delay(0, 0.0)).isEqualTo(Duration.ZERO);
    assertThat(full.delay(0, 1.0)).isEqualTo(Duration.ofMillis(2000));
  }

  @Test
  void hugeAttemptNumbersStayAtTheMaximum() {
    assertThat(NO_JITTER.delay(Integer.MAX_VALUE, 0.5)).isEqualTo(Duration.ofMillis(1000));
    assertThat(NO_JITTER.withInitialDelay(Duration.ZERO).delay(10_000, 0.5))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void multiplierOfOneKeepsTheDelayConstant() {
    ReconnectionConfig constant = NO_JITTER.withMultiplier(1.0);
    assertThat(constant.delay(0, 0.5)).isEqualTo(Duration.ofMillis(100));
    assertThat(constant.delay(50, 0.5)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void withersChangeOneComponent() {
    ReconnectionConfig base = ReconnectionConfig.DEFAULT;
    assertThat(base.withInitialDelay(Duration.ofMillis(20)))
        .isEqualTo(new ReconnectionConfig(Duration.ofMillis(20), base.maxDelay(), 2.0, 0.3, -1));
    assertThat(base.withMaxDelay(Duration.ofMillis(100)))
        .isEqualTo(
            new ReconnectionConfig(base.initialDelay(), Duration.ofMillis(100), 2.0, 0.3, -1));
    assertThat(base.withMultiplier(3.0))
        .isEqualTo(new ReconnectionConfig(base.initialDelay(), base.maxDelay(), 3.0, 0.3, -1));
    assertThat(base.withJitter(0.0))
        .isEqualTo(new ReconnectionConfig(base.initialDelay(), base.maxDelay(), 2.0, 0.0, -1));
    assertThat(base.withMaxRetries(5))
        .isEqualTo(new ReconnectionConfig(base.initialDelay(), base.maxDelay(), 2.0, 0.3, 5));
  }

  @Test
  void rejectsMissingDelays() {
    assertThatThrownBy(() -> new ReconnectionConfig(null, Duration.ZERO, 2.0, 0.3, -1))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("initialDelay");
    assertThatThrownBy(() -> new ReconnectionConfig(Duration.ZERO, null, 2.0, 0.3, -1))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("maxDelay");
  }

  @Test
  void rejectsNegativeDelays() {
    assertThatThrownBy(() -> ReconnectionConfig.DEFAULT.withInitialDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReconnectionConfig.DEFAULT.withMaxDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"0.99", "-2", "NaN"})
  void rejectsMultiplierBelowOne(double multiplier) {
    assertThatThrownBy(() -> ReconnectionConfig.DEFAULT.withMultiplier(multiplier))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiplier");
  }

  @ParameterizedTest
  @CsvSource({"-0.01", "1.01", "NaN"})
  void rejectsJitterOutsideZeroToOne(double jitter) {
    assertThatThrownBy(() -> ReconnectionConfig.DEFAULT.withJitter(jitter))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jitter");
  }

  @Test
  void rejectsMaxRetriesBelowMinusOne() {
    assertThatThrownBy(() -> ReconnectionConfig.DEFAULT.withMaxRetries(-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRetries");
  }

  @Test
  void acceptsTheBoundaries() {
    assertThatCode(
            () ->
                new ReconnectionConfig(Duration.ZERO, Duration.ZERO, 1.0, 0.0, -1)
                    .withJitter(1.0)
                    .withMaxRetries(0))
        .doesNotThrowAnyException();
  }
}
