package dev.asap.engine.space;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** Draws before {@link #sampleUntried} stops hoping that random draws find an untried point. */
  public static final int UNTRIED_DRAWS = 256;

  /** Largest finite space that {@link #sampleUntried} enumerates when random draws keep missing. */
  public static final long ENUMERATION_LIMIT = 2048;

  /**
   * A uniformly random configuration whose key is not in {@code tried}: up to {@value
   * #UNTRIED_DRAWS} draws, then, in a space of at most {@value #ENUMERATION_LIMIT} configurations,
   * a uniform pick among the untried ones. Returns a tried configuration only when none is left (or
   * a larger space keeps missing); callers and the engine treat that as "nothing new".
   */
  public Configuration sampleUntried(Set<String> tried, RandomGenerator rng) {
    Configuration c = sample(rng);
    for (int i = 1; i < UNTRIED_DRAWS && tried.contains(c.key()); i++) {
      c = sample(rng);
    }
    if (tried.contains(c.key()) && size() <= ENUMERATION_LIMIT) {
      List<Configuration> untried =
          configurations().stream().filter(u -> !tried.contains(u.key())).toList();
      if (!untried.isEmpty()) {
        c = untried.get(rng.nextInt(untried.size()));
      }
    }
    return c;
  }

  /**
   * Every configuration of a finite space, in the order of its parameters' values.
   *
   * @throws IllegalArgumentException when a parameter is continuous
   */
  public List<Configuration> configurations() {
    List<Map<String, Object>> partial = new ArrayList<>();
    partial.add(new LinkedHashMap<>());
    for (Parameter p : parameters) {
      var next = new ArrayList<Map<String, Object>>();
      for (Map<String, Object> prefix : partial) {
        for (Object v : valuesOf(p)) {
          var m = new LinkedHashMap<>(prefix);
          m.put(p.name(), v);
          next.add(m);
        }
      }
      partial = next;
    }
    return partial.stream().map(this::configuration).toList();
  }

  private static List<Object> valuesOf(Parameter p) {
    if (p instanceof CategoricalParameter cp) {
      return cp.values();
    }
    if (p instanceof IntParameter ip) {
      var values = new ArrayList<Object>();
      for (long v = ip.min(); v <= ip.top(); v += ip.step()) {
        values.add(v);
      }
      return values;
    }
    throw new IllegalArgumentException(p.name() + " is continuous and has no list of values");
  }
}
