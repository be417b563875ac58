package dev.iii.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iii.engine.modules.cron.CronExpression;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link CronExpression}: the official syntax (seconds first, 1 = Sunday) and next times in UTC.
 */
class CronExpressionTest {

  private static Instant next(String expression, String after) {
    return CronExpression.parse(expression).nextAfter(Instant.parse(after));
  }

  @Test
  void everySecondIsStrictlyAfterAndDropsTheFraction() {
    assertThat(next("* * * * * *", "2025-01-01T12:00:00Z"))
        .isEqualTo(Instant.parse("2025-01-01T12:00:01Z"));
    assertThat(next("* * * * * *", "2025-01-01T12:00:00.999Z"))
        .isEqualTo(Instant.parse("2025-01-01T12:00:01Z"));
  }

  @Test
  void hourlyAtTheTopOfTheHour() {
    assertThat(next("0 0 * * * *", "2025-01-01T12:00:00Z"))
        .isEqualTo(Instant.parse("2025-01-01T13:00:00Z"));
    assertThat(next("0 0 * * * *", "2025-12-31T23:30:00Z"))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void listsRangesAndSteps() {
    assertThat(next("0,20,40 * * * * *", "2025-01-01T00:00:21Z"))
        .isEqualTo(Instant.parse("2025-01-01T00:00:40Z"));
    assertThat(next("*/15 * * * * *", "2025-01-01T00:00:46Z"))
        .isEqualTo(Instant.parse("2025-01-01T00:01:00Z"));
    assertThat(next("10/20 * * * * *", "2025-01-01T00:00:31Z"))
        .as("a value with a step runs from there to the maximum: 10, 30, 50")
        .isEqualTo(Instant.parse("2025-01-01T00:00:50Z"));
    assertThat(next("0 0 9-17/4 * * *", "2025-01-01T09:00:00Z"))
        .isEqualTo(Instant.parse("2025-01-01T13:00:00Z"));
    assertThat(next("0 30 8 1-3 * *", "2025-01-03T09:00:00Z"))
        .isEqualTo(Instant.parse("2025-02-01T08:30:00Z"));
  }

  @Test
  void numericDayOfWeekCountsFromOneForSunday() {
    // 2025-01-01 is a Wednesday.
    assertThat(next("0 0 0 * * 1", "2025-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("2025-01-05T00:00:00Z"));
    assertThat(next("0 0 0 * * 7", "2025-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("2025-01-04T00:00:00Z"));
    assertThat(next("0 0 0 * * Mon-Fri", "2025-01-03T12:00:00Z"))
        .as("Friday noon: next is Monday")
        .isEqualTo(Instant.parse("2025-01-06T00:00:00Z"));
    assertThat(next("0 0 0 * * sun,SAT", "2025-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("2025-01-04T00:00:00Z"));
  }

  @Test
  void bothDayFieldsMustMatch() {
    // The 13th that is a Friday (6): June 2025.
    assertThat(next("0 0 0 13 * Fri", "2025-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("2025-06-13T00:00:00Z"));
    assertThat(next("0 0 0 ? * Fri", "2025-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("2025-01-03T00:00:00Z"));
  }

  @Test
  void monthNamesAndYears() {
    assertThat(next("0 0 0 29 Feb *", "2025-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
    assertThat(next("0 0 12 1 jan-mar * 2030", "2025-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("2030-01-01T12:00:00Z"));
    assertThat(next("0 0 0 1 1 * 2020", "2025-01-01T00:00:00Z")).as("years that are over").isNull();
    assertThat(next("0 0 0 30 Feb *", "2025-01-01T00:00:00Z"))
        .as("a day that never exists")
        .isNull();
  }

  @Test
  void shorthands() {
    String after = "2025-05-14T10:11:12Z"; // a Wednesday
    assertThat(next("@yearly", after)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(next("@monthly", after)).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
    assertThat(next("@weekly", after)).isEqualTo(Instant.parse("2025-05-18T00:00:00Z"));
    assertThat(next("@daily", after)).isEqualTo(Instant.parse("2025-05-15T00:00:00Z"));
    assertThat(next("@hourly", after)).isEqualTo(Instant.parse("2025-05-14T11:00:00Z"));
  }

  @Test
  void rejectsWhatTheOfficialEngineRejects() {
    assertThatThrownBy(() -> CronExpression.parse("* * * * *"))
        .hasMessageContaining("has 5 fields")
        .hasMessageContaining("6 or 7");
    assertThatThrownBy(() -> CronExpression.parse("60 * * * * *")).hasMessageContaining("Seconds");
    assertThatThrownBy(() -> CronExpression.parse("* * * * * 0"))
        .as("0 is not a day of week")
        .hasMessageContaining("Days of Week");
    assertThatThrownBy(() -> CronExpression.parse("* * * * * Funday"))
        .hasMessageContaining("Funday");
    assertThatThrownBy(() -> CronExpression.parse("? * * * * *")).hasMessageContaining("'?'");
    assertThatThrownBy(() -> CronExpression.parse("*/0 * * * * *")).hasMessageContaining("step");
    assertThatThrownBy(() -> CronExpression.parse("5-1 * * * * *"))
        .hasMessageContaining("Invalid range");
    assertThatThrownBy(() -> CronExpression.parse("* * Mon * * *"))
        .hasMessageContaining("does not support using names");
    assertThatThrownBy(() -> CronExpression.parse("1,,2 * * * * *")).hasMessageContaining("Empty");
    assertThatThrownBy(() -> CronExpression.parse("")).hasMessageContaining("0 fields");
    assertThatThrownBy(() -> CronExpression.parse("* * * * * * * *"))
        .hasMessageContaining("has 8 fields");
  }
}
