package dev.asap.engine.space;

import java.util.HashSet;
import java.util.List;

/**
 * A parameter that takes one of a list of values: strings, numbers or booleans. The order of the
 * list carries no meaning to the optimizers that treat categories natively.
 *
 * @param name the parameter's name
 * @param values the allowed values, non-empty and distinct
 */
public record CategoricalParameter(String name, List<Object> values) implements Parameter {

  public CategoricalParameter {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException(name + ": categorical values must not be empty");
    }
    var seen = new HashSet<Object>();
    var normalized = new java.util.ArrayList<Object>(values.size());
    for (Object v : values) {
      Object n = normalizeLiteral(name, v);
      if (!seen.add(n)) {
        throw new IllegalArgumentException(name + ": duplicate categorical value " + v);
      }
      normalized.add(n);
    }
    values = List.copyOf(normalized);
  }

  private static Object normalizeLiteral(String name, Object v) {
    if (v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(
        name + ": categorical values must be strings, numbers or booleans, got " + v);
  }

  /** The position of {@code value} in {@link #values()}. */
  public int indexOf(Object value) {
    return values.indexOf(normalize(value));
  }

  @Override
  public long cardinality() {
    return values.size();
  }

  @Override
  public double toUnit(Object value) {
    return (indexOf(value) + 0.5) / values.size();
  }

  @Override
  public Object fromUnit(double u) {
    int index =
        (int) Math.min(values.size() - 1, Math.floor(Parameter.clampUnit(u) * values.size()));
    return values.get(index);
  }

  @Override
  public Object normalize(Object value) {
    Object n;
    try {
      n = value == null ? null : normalizeLiteral(name, value);
    } catch (IllegalArgumentException e) {
      n = null;
    }
    // 1 and 1.0 name the same number; match a value to the declared literal either way.
    if (n instanceof Number num && !values.contains(n)) {
      for (Object v : values) {
        if (v instanceof Number d && d.doubleValue() == num.doubleValue()) {
          return v;
        }
      }
    }
    if (n == null || !values.contains(n)) {
      throw new IllegalArgumentException(name + ": " + value + " is not one of " + values);
    }
    return n;
  }
}
