package dev.asap.engine.study;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations a study document accepts: the short form people write in Kubernetes resources
 * ({@code 90s}, {@code 10m}, {@code 1h30m}) and ISO-8601 ({@code PT10M}), which is what a Java
 * program prints.
 */
public final class DurationText {
  /** How to write a duration, for error messages. */
  public static final String FORMS =
      "write whole hours, minutes and seconds in that order (90s, 10m, 1h30m) or ISO-8601 (PT10M)";

  private static final Pattern SHORT = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private DurationText() {}

  /**
   * Parses either form; the sign is not checked here.
   *
   * @throws IllegalArgumentException saying the accepted forms
   */
  public static Duration parse(String text) {
    if (text.startsWith("P") || text.startsWith("-P")) {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw notADuration(text);
      }
    }
    Matcher m = SHORT.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      throw notADuration(text);
    }
    try {
      return Duration.ofHours(amount(m.group(1)))
          .plusMinutes(amount(m.group(2)))
          .plusSeconds(amount(m.group(3)));
    } catch (ArithmeticException | NumberFormatException e) {
      throw notADuration(text);
    }
  }

  /**
   * A duration in the short form people write: {@code 1h30m}, {@code 90s} reads {@code 1m30s},
   * fractions of a second as {@code 1.5s}.
   */
  public static String format(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static long amount(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException("\"" + text + "\" is not a duration; " + FORMS);
  }
}
