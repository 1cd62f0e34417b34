package dev.asap.engine.simulation;

import dev.asap.engine.study.DurationText;
import java.time.Duration;
import java.util.Locale;

/**
 * How long a simulated trial runs, in virtual time: the same for every trial, or drawn from a
 * heavy-tailed distribution, since real training times vary and a few trials run far longer than
 * the rest, which is when computing the next proposal ahead pays most.
 *
 * <p>Costs depend on the trial's number only, never on the order of the calls, so a study run with
 * two trials at a time sees the same cost for trial 7 as one run with eight.
 */
@FunctionalInterface
public interface EvaluationCost {
  /** The forms {@link #parse} accepts, for error messages. */
  String FORMS = "a duration (3s, 1m30s, PT0.5S) or lognormal:MEDIAN:SIGMA (lognormal:3s:1.0)";

  /** How long trial {@code trialNumber} runs. */
  Duration of(int trialNumber);

  /** Every trial runs for {@code duration}. */
  static EvaluationCost fixed(Duration duration) {
    return new Fixed(duration);
  }

  /**
   * Trial {@code n} runs for {@code median * exp(sigma * Z)}, with {@code Z} a standard normal draw
   * fixed by {@code seed} and {@code n}: a log-normal time whose median is {@code median}; {@code
   * sigma = 1} puts about one trial in twenty past five times the median.
   */
  static EvaluationCost heavyTailed(Duration median, double sigma, long seed) {
    return new LogNormal(median, sigma, seed);
  }

  /**
   * Reads {@link #FORMS}: a duration for a fixed cost, {@code lognormal:MEDIAN:SIGMA} for a
   * heavy-tailed one drawn with {@code seed}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  static EvaluationCost parse(String text, long seed) {
    try {
      if (text.startsWith("lognormal:")) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
          throw new IllegalArgumentException("expected lognormal:MEDIAN:SIGMA");
        }
        return heavyTailed(DurationText.parse(parts[1]), Double.parseDouble(parts[2]), seed);
      }
      return fixed(DurationText.parse(text));
    } catch (IllegalArgumentException e) {
      // NumberFormatException is one too.
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an evaluation cost (" + e.getMessage() + "); write " + FORMS, e);
    }
  }

  /**
   * A cost that does not vary.
   *
   * @param duration every trial's running time, not negative
   */
  record Fixed(Duration duration) implements EvaluationCost {
    public Fixed {
      if (duration.isNegative()) {
        throw new IllegalArgumentException("a cost cannot be negative: " + duration);
      }
    }

    @Override
    public Duration of(int trialNumber) {
      return duration;
    }

    @Override
    public String toString() {
      return DurationText.format(duration);
    }
  }

  /**
   * A log-normal cost.
   *
   * @param median the median running time, positive
   * @param sigma the standard deviation of the time's logarithm, finite and not negative
   * @param seed fixes every trial's draw
   */
  record LogNormal(Duration median, double sigma, long seed) implements EvaluationCost {
    public LogNormal {
      if (median.isNegative() || median.isZero()) {
        throw new IllegalArgumentException("a median cost must be positive: " + median);
      }
      if (!(sigma >= 0) || Double.isInfinite(sigma)) {
        throw new IllegalArgumentException("sigma must be a finite number >= 0, got " + sigma);
      }
    }

    @Override
    public Duration of(int trialNumber) {
      double factor = Math.exp(sigma * SeededDraws.standardNormal(seed, trialNumber));
      // Math.round saturates at Long.MAX_VALUE nanoseconds (292 years) for absurd draws.
      return Duration.ofNanos(Math.round(median.toNanos() * factor));
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "lognormal:%s:%s", DurationText.format(median), Double.toString(sigma));
    }
  }
}
