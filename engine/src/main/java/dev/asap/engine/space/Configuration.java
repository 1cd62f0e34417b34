package dev.asap.engine.space;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One point of a search space: a value for every parameter, in the space's order. Values are
 * normalized ({@link Double}, {@link Long}, or the declared categorical value), so two
 * configurations that name the same point are {@link #equals equal} and share a {@link #key()}.
 */
public final class Configuration {
  private final Map<String, Object> values;

  Configuration(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The parameter values by name, in the search space's order. */
  public Map<String, Object> values() {
    return values;
  }

  /** The value of one parameter. */
  public Object get(String name) {
    Object v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "no parameter named " + name + "; have " + values.keySet());
    }
    return v;
  }

  /** A canonical text form, used to recognise a configuration that was already run. */
  public String key() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Configuration c && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "{" + key() + "}";
  }
}
