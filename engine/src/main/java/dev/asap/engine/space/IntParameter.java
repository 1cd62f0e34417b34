package dev.asap.engine.space;

/**
 * An integer parameter taking {@code min, min + step, ...} up to {@code max}, optionally searched
 * on a log scale (then {@code step} must be 1).
 *
 * @param name the parameter's name
 * @param min inclusive lower bound
 * @param max inclusive upper bound, greater than {@code min}
 * @param step distance between allowed values, at least 1
 * @param log whether bins are spaced evenly in {@code log(value)}; needs {@code min > 0}
 */
public record IntParameter(String name, long min, long max, long step, boolean log)
    implements Parameter {

  public IntParameter {
    if (min >= max) {
      throw new IllegalArgumentException(
          name + ": min (" + min + ") must be less than max (" + max + ")");
    }
    if (max - min < 0) {
      throw new IllegalArgumentException(name + ": max - min must be at most " + Long.MAX_VALUE);
    }
    if (step < 1) {
      throw new IllegalArgumentException(name + ": step must be at least 1, got " + step);
    }
    if (log && min <= 0) {
      throw new IllegalArgumentException(name + ": log scale needs min > 0, got " + min);
    }
    if (log && step != 1) {
      throw new IllegalArgumentException(name + ": log scale needs step 1, got " + step);
    }
  }

  /** The largest allowed value: {@code max} rounded down onto the step grid. */
  public long top() {
    return min + ((max - min) / step) * step;
  }

  @Override
  public long cardinality() {
    return (max - min) / step + 1;
  }

  @Override
  public double toUnit(Object value) {
    long v = (Long) normalize(value);
    if (log) {
      // Log scale: the interval maps to [log(min - 0.5), log(top + 0.5)]; min >= 1 here.
      double lo = Math.log(min - 0.5);
      double hi = Math.log(top() + 0.5);
      return Parameter.clampUnit((Math.log(v) - lo) / (hi - lo));
    }
    long index = (v - min) / step;
    return (index + 0.5) / cardinality();
  }

  @Override
  public Object fromUnit(double u) {
    double c = Parameter.clampUnit(u);
    if (log) {
      double lo = Math.log(min - 0.5);
      double hi = Math.log(top() + 0.5);
      long v = Math.round(Math.exp(lo + c * (hi - lo)));
      return Math.min(top(), Math.max(min, v));
    }
    long index = Math.min(cardinality() - 1, (long) Math.floor(c * cardinality()));
    return min + index * step;
  }

  @Override
  public Object normalize(Object value) {
    long v;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      v = ((Number) value).longValue();
    } else if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      v = (long) n.doubleValue();
    } else {
      throw new IllegalArgumentException(
          name + ": expected an integer in [" + min + ", " + max + "], got " + value);
    }
    if (v < min || v > max || (v - min) % step != 0) {
      throw new IllegalArgumentException(
          name + ": " + v + " is not one of " + min + ", " + (min + step) + ", ... " + top());
    }
    return v;
  }
}
