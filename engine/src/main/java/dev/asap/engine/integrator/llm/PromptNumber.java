package dev.asap.engine.integrator.llm;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes numbers for the prompt in one fixed, locale-independent way, so that the same trial
 * renders to the same characters in every round, every run and every locale: four significant
 * digits, plain notation from 1e-4 up to 1e6, scientific outside.
 */
final class PromptNumber {
  private static final MathContext DIGITS = new MathContext(4, RoundingMode.HALF_EVEN);

  private PromptNumber() {}

  static String format(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
    }
    if (x == 0) {
      return "0";
    }
    BigDecimal rounded = new BigDecimal(Double.toString(x)).round(DIGITS).stripTrailingZeros();
    double size = Math.abs(rounded.doubleValue());
    if (size >= 1e-4 && size < 1e6) {
      return rounded.toPlainString();
    }
    int exponent = rounded.precision() - rounded.scale() - 1;
    return rounded.movePointLeft(exponent).toPlainString() + "e" + exponent;
  }

  /** A parameter value: floating-point numbers as {@link #format}, anything else as it prints. */
  static String value(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return format(((Number) v).doubleValue());
    }
    return String.valueOf(v);
  }
}
