package dev.asap.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes a number with four significant digits and no trailing zeros, so that columns of learning
 * rates and accuracies stay narrow: {@code 0.9861}, {@code 12.35}, {@code 1.235e-05}.
 */
final class CompactNumber {
  private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_UP);

  private CompactNumber() {}

  /** Plain notation from 1e-4 up to 1e5, scientific with a two-digit exponent outside. */
  static String format(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return "0";
    }
    // valueOf keeps the shortest decimal that names x, so 0.12345 rounds up as a reader expects.
    BigDecimal rounded = BigDecimal.valueOf(x).round(FOUR_DIGITS);
    double magnitude = Math.abs(rounded.doubleValue());
    if (magnitude >= 1e-4 && magnitude < 1e5) {
      return rounded.stripTrailingZeros().toPlainString();
    }
    int exponent = rounded.precision() - rounded.scale() - 1;
    String mantissa = rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString();
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
  }

  /** A parameter or metric value: floating-point numbers compact, anything else as it prints. */
  static String value(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return format(((Number) value).doubleValue());
    }
    return String.valueOf(value);
  }
}
