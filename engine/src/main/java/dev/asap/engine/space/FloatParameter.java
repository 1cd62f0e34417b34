package dev.asap.engine.space;

/**
 * A real-valued parameter in {@code [min, max]}, optionally searched on a log scale.
 *
 * @param name the parameter's name
 * @param min inclusive lower bound
 * @param max inclusive upper bound, greater than {@code min}
 * @param log whether the unit interval maps to {@code log(value)}; needs {@code min > 0}
 */
public record FloatParameter(String name, double min, double max, boolean log)
    implements Parameter {

  public FloatParameter {
    if (!(min < max)) {
      throw new IllegalArgumentException(
          name + ": min (" + min + ") must be less than max (" + max + ")");
    }
    if (Double.isInfinite(max - min)) {
      throw new IllegalArgumentException(name + ": max - min must be a finite number");
    }
    if (log && min <= 0) {
      throw new IllegalArgumentException(name + ": log scale needs min > 0, got " + min);
    }
  }

  @Override
  public double toUnit(Object value) {
    double x = (Double) normalize(value);
    double u =
        log
            ? (Math.log(x) - Math.log(min)) / (Math.log(max) - Math.log(min))
            : (x - min) / (max - min);
    return Parameter.clampUnit(u);
  }

  @Override
  public Object fromUnit(double u) {
    double c = Parameter.clampUnit(u);
    // The cube's faces are the bounds themselves, not a round-off away from them.
    if (c == 0.0) {
      return min;
    }
    if (c == 1.0) {
      return max;
    }
    double x =
        log ? Math.exp(Math.log(min) + c * (Math.log(max) - Math.log(min))) : min + c * (max - min);
    // exp/log round-off can step a hair outside the bounds.
    return Math.min(max, Math.max(min, x));
  }

  @Override
  public long cardinality() {
    return -1;
  }

  @Override
  public Object normalize(Object value) {
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(
          name + ": expected a number in [" + min + ", " + max + "], got " + value);
    }
    double x = n.doubleValue();
    if (!(x >= min && x <= max)) {
      throw new IllegalArgumentException(
          name + ": " + x + " is outside [" + min + ", " + max + "]");
    }
    return x;
  }
}
