package dev.asap.engine.space;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** An ordered list of named parameters, and the maps between configurations and the unit cube. */
public final class SearchSpace {
  private final List<Parameter> parameters;

  public SearchSpace(List<Parameter> parameters) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("a search space needs at least one parameter");
    }
    var names = new HashSet<String>();
    for (Parameter p : parameters) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("duplicate parameter name " + p.name());
      }
    }
    this.parameters = List.copyOf(parameters);
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  /** Number of parameters, which is also the dimension of the unit cube. */
  public int dimension() {
    return parameters.size();
  }

  public Parameter parameter(String name) {
    for (Parameter p : parameters) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no parameter named " + name);
  }

  /** Whether {@code name} is one of this space's parameters. */
  public boolean has(String name) {
    return parameters.stream().anyMatch(p -> p.name().equals(name));
  }

  /** Builds a configuration from raw values, checking that each parameter has an allowed value. */
  public Configuration configuration(Map<String, ?> raw) {
    var values = new LinkedHashMap<String, Object>();
    for (Parameter p : parameters) {
      if (!raw.containsKey(p.name())) {
        throw new IllegalArgumentException("configuration lacks parameter " + p.name());
      }
      values.put(p.name(), p.normalize(raw.get(p.name())));
    }
    for (String name : raw.keySet()) {
      if (!has(name)) {
        throw new IllegalArgumentException("configuration has unknown parameter " + name);
      }
    }
    return new Configuration(values);
  }

  /** Maps a point of the unit cube (clamped coordinate-wise) to a configuration. */
  public Configuration fromUnit(double[] u) {
    if (u.length != parameters.size()) {
      throw new IllegalArgumentException(
          "expected " + parameters.size() + " coordinates, got " + u.length);
    }
    var values = new LinkedHashMap<String, Object>();
    for (int i = 0; i < u.length; i++) {
      Parameter p = parameters.get(i);
      values.put(p.name(), p.fromUnit(u[i]));
    }
    return new Configuration(values);
  }

  /** Maps a configuration to the unit cube; discrete values land on their bin centres. */
  public double[] toUnit(Configuration c) {
    double[] u = new double[parameters.size()];
    for (int i = 0; i < u.length; i++) {
      Parameter p = parameters.get(i);
      u[i] = p.toUnit(c.get(p.name()));
    }
    return u;
  }

  /** A configuration drawn uniformly from the unit cube. */
  public Configuration sample(RandomGenerator rng) {
    double[] u = new double[parameters.size()];
    for (int i = 0; i < u.length; i++) {
      u[i] = rng.nextDouble();
    }
    return fromUnit(u);
  }

  /**
   * Number of distinct configurations, or {@link Long#MAX_VALUE} when some parameter is continuous
   * or the product overflows.
   */
  public long size() {
    long n = 1;
    for (Parameter p : parameters) {
      long k = p.cardinality();
      if (k < 0 || n > Long.MAX_VALUE / k) {
        return Long.MAX_VALUE;
      }
      n *= k;
    }
    return n;
  }
}
