package dev.iii.engine.modules.cron;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A cron schedule in the official engine's syntax, always evaluated in UTC.
 *
 * <p>Six or seven space-separated fields, seconds first: {@code sec min hour day-of-month month
 * day-of-week [year]}. Each field is {@code *}, a value, a range {@code a-b}, a step {@code x/n},
 * {@code a-b/n} or <code>&#42;/n</code>, or a comma-separated list of those. Months accept names
 * ({@code Jan}…{@code Dec}), days of week accept names ({@code Sun}…{@code Sat}) and numbers 1–7
 * where <b>1 is Sunday</b>; {@code ?} means "any" in the two day fields. A day matches when both
 * day fields match it. The shorthands {@code @yearly @monthly @weekly @daily @hourly} stand for a
 * whole expression. The classic five-field crontab form is rejected: the official engine rejects it
 * too.
 */
public final class CronExpression {

  private static final int MIN_YEAR = 1970;
  private static final int MAX_YEAR = 2100;

  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("jan", 1),
          Map.entry("january", 1),
          Map.entry("feb", 2),
          Map.entry("february", 2),
          Map.entry("mar", 3),
          Map.entry("march", 3),
          Map.entry("apr", 4),
          Map.entry("april", 4),
          Map.entry("may", 5),
          Map.entry("jun", 6),
          Map.entry("june", 6),
          Map.entry("jul", 7),
          Map.entry("july", 7),
          Map.entry("aug", 8),
          Map.entry("august", 8),
          Map.entry("sep", 9),
          Map.entry("september", 9),
          Map.entry("oct", 10),
          Map.entry("october", 10),
          Map.entry("nov", 11),
          Map.entry("november", 11),
          Map.entry("dec", 12),
          Map.entry("december", 12));

  private static final Map<String, Integer> WEEKDAYS =
      Map.ofEntries(
          Map.entry("sun", 1),
          Map.entry("sunday", 1),
          Map.entry("mon", 2),
          Map.entry("monday", 2),
          Map.entry("tue", 3),
          Map.entry("tues", 3),
          Map.entry("tuesday", 3),
          Map.entry("wed", 4),
          Map.entry("wednesday", 4),
          Map.entry("thu", 5),
          Map.entry("thurs", 5),
          Map.entry("thursday", 5),
          Map.entry("fri", 6),
          Map.entry("friday", 6),
          Map.entry("sat", 7),
          Map.entry("saturday", 7));

  /** One field's rules: its name for messages, its bounds, its names and whether "?" is allowed. */
  private record FieldSpec(
      String name, int min, int max, Map<String, Integer> names, boolean allowsAny) {}

  private static final FieldSpec SECONDS = new FieldSpec("Seconds", 0, 59, Map.of(), false);
  private static final FieldSpec MINUTES = new FieldSpec("Minutes", 0, 59, Map.of(), false);
  private static final FieldSpec HOURS = new FieldSpec("Hours", 0, 23, Map.of(), false);
  private static final FieldSpec DAYS_OF_MONTH =
      new FieldSpec("Days of Month", 1, 31, Map.of(), true);
  private static final FieldSpec MONTHS_FIELD = new FieldSpec("Months", 1, 12, MONTHS, false);
  private static final FieldSpec DAYS_OF_WEEK = new FieldSpec("Days of Week", 1, 7, WEEKDAYS, true);
  private static final FieldSpec YEARS =
      new FieldSpec("Years", MIN_YEAR, MAX_YEAR, Map.of(), false);

  private static final List<FieldSpec> FIELDS =
      List.of(SECONDS, MINUTES, HOURS, DAYS_OF_MONTH, MONTHS_FIELD, DAYS_OF_WEEK, YEARS);

  private final String text;
  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final BitSet years;

  private CronExpression(String text, BitSet[] fields) {
    this.text = text;
    this.seconds = fields[0];
    this.minutes = fields[1];
    this.hours = fields[2];
    this.daysOfMonth = fields[3];
    this.months = fields[4];
    this.daysOfWeek = fields[5];
    this.years = fields[6];
  }

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException whose message says what is wrong with it
   */
  public static CronExpression parse(String expression) {
    String trimmed = expression.trim();
    String expanded = shorthand(trimmed);
    String[] parts = (expanded == null ? trimmed : expanded).split("\\s+");
    if (parts.length != 6 && parts.length != 7) {
      throw new IllegalArgumentException(
          "Expression has "
              + (trimmed.isEmpty() ? 0 : parts.length)
              + " fields. Valid cron expressions have 6 or 7.");
    }
    BitSet[] fields = new BitSet[FIELDS.size()];
    for (int i = 0; i < FIELDS.size(); i++) {
      FieldSpec spec = FIELDS.get(i);
      fields[i] = i < parts.length ? parseField(parts[i], spec) : range(spec.min(), spec.max(), 1);
    }
    return new CronExpression(expression, fields);
  }

  private static @Nullable String shorthand(String expression) {
    return switch (expression) {
      case "@yearly" -> "0 0 0 1 1 *";
      case "@monthly" -> "0 0 0 1 * *";
      case "@weekly" -> "0 0 0 * * 1";
      case "@daily" -> "0 0 0 * * *";
      case "@hourly" -> "0 0 * * * *";
      default -> null;
    };
  }

  private static BitSet parseField(String field, FieldSpec spec) {
    BitSet values = new BitSet();
    for (String element : field.split(",", -1)) {
      if (element.isEmpty()) {
        throw new IllegalArgumentException(
            "Empty list element in the " + spec.name() + " field '" + field + "'.");
      }
      values.or(parseElement(element, spec));
    }
    return values;
  }

  private static BitSet parseElement(String element, FieldSpec spec) {
    int slash = element.indexOf('/');
    if (slash >= 0) {
      String start = element.substring(0, slash);
      int step = number(element.substring(slash + 1), spec, "step");
      if (step == 0) {
        throw new IllegalArgumentException(
            "The step in the " + spec.name() + " field '" + element + "' must be at least 1.");
      }
      if (isAll(start, spec)) {
        return range(spec.min(), spec.max(), step);
      }
      int dash = start.indexOf('-');
      if (dash > 0) {
        int[] bounds = rangeBounds(start, dash, spec);
        return range(bounds[0], bounds[1], step);
      }
      // A single value with a step starts there and runs to the field's maximum.
      return range(validate(number(start, spec, "value"), spec), spec.max(), step);
    }
    if (isAll(element, spec)) {
      return range(spec.min(), spec.max(), 1);
    }
    int dash = element.indexOf('-');
    if (dash > 0) {
      int[] bounds = rangeBounds(element, dash, spec);
      return range(bounds[0], bounds[1], 1);
    }
    int value = isNumber(element) ? number(element, spec, "value") : name(element, spec);
    return range(validate(value, spec), value, 1);
  }

  private static boolean isAll(String text, FieldSpec spec) {
    if (text.equals("?") && !spec.allowsAny()) {
      throw new IllegalArgumentException(
          "'?' is only allowed in the day-of-month and day-of-week fields, not in "
              + spec.name()
              + ".");
    }
    return text.equals("*") || text.equals("?");
  }

  private static int[] rangeBounds(String text, int dash, FieldSpec spec) {
    String from = text.substring(0, dash);
    String to = text.substring(dash + 1);
    int start;
    int end;
    if (isNumber(from) && isNumber(to)) {
      start = number(from, spec, "value");
      end = number(to, spec, "value");
    } else if (!isNumber(from) && !isNumber(to)) {
      start = name(from, spec);
      end = name(to, spec);
    } else {
      throw new IllegalArgumentException(
          "Invalid range for " + spec.name() + ": " + text + " (mixes a number and a name).");
    }
    validate(start, spec);
    validate(end, spec);
    if (start > end) {
      throw new IllegalArgumentException("Invalid range for " + spec.name() + ": " + text + ".");
    }
    return new int[] {start, end};
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static int number(String text, FieldSpec spec, String what) {
    if (!isNumber(text) || text.length() > 9) {
      throw new IllegalArgumentException(
          "Invalid " + what + " '" + text + "' in the " + spec.name() + " field.");
    }
    return Integer.parseInt(text);
  }

  private static int name(String text, FieldSpec spec) {
    if (spec.names().isEmpty()) {
      throw new IllegalArgumentException(
          "The '"
              + spec.name()
              + "' field does not support using names. '"
              + text
              + "' specified.");
    }
    Integer value = spec.names().get(text.toLowerCase(Locale.ROOT));
    if (value == null) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a valid name in the " + spec.name() + " field.");
    }
    return value;
  }

  private static int validate(int value, FieldSpec spec) {
    if (value < spec.min()) {
      throw new IllegalArgumentException(
          spec.name()
              + " must be greater than or equal to "
              + spec.min()
              + ". ('"
              + value
              + "' specified.)");
    }
    if (value > spec.max()) {
      throw new IllegalArgumentException(
          spec.name()
              + " must be less than or equal to "
              + spec.max()
              + ". ('"
              + value
              + "' specified.)");
    }
    return value;
  }

  private static BitSet range(int from, int to, int step) {
    BitSet set = new BitSet();
    for (int value = from; value <= to; value += step) {
      set.set(value);
    }
    return set;
  }

  /**
   * The first fire time strictly after the given instant, in UTC, or {@code null} when the schedule
   * has none left (its years are over, or it names a day that never exists, such as February 30).
   */
  public @Nullable Instant nextAfter(Instant after) {
    LocalDateTime t =
        LocalDateTime.ofInstant(after, ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.SECONDS)
            .plusSeconds(1);
    // Each step moves t forward to the start of the next candidate unit, so the loop ends: at the
    // latest when the year passes the last one a schedule can name.
    while (t.getYear() <= MAX_YEAR) {
      if (!years.get(t.getYear())) {
        int nextYear = years.nextSetBit(t.getYear() + 1);
        if (nextYear < 0) {
          return null;
        }
        t = LocalDateTime.of(nextYear, 1, 1, 0, 0);
      } else if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!daysOfMonth.get(t.getDayOfMonth())
          || !daysOfWeek.get(weekday(t.getDayOfWeek()))) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      } else if (!seconds.get(t.getSecond())) {
        t = t.plusSeconds(1);
      } else {
        return t.toInstant(ZoneOffset.UTC);
      }
    }
    return null;
  }

  /** Quartz numbering: 1 = Sunday … 7 = Saturday. */
  private static int weekday(DayOfWeek day) {
    return day.getValue() % 7 + 1;
  }

  /** The expression as given. */
  @Override
  public String toString() {
    return text;
  }
}
