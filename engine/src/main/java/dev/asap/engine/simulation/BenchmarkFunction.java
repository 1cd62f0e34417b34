package dev.asap.engine.simulation;

import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.Parameter;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A standard test function of hyperparameter optimization, with its search space and its known
 * global minimum, so that a simulated study can be scored by how close it gets to the optimum.
 *
 * <p>The parameters are floats named {@code x1} to {@code xd} on the box the literature searches. A
 * function can be {@linkplain #withOffset shifted} by a constant: the landscape and the minimizers
 * stay the same, but relative errors {@code |y - ŷ| / |y|} shrink as {@code |y|} grows, which is
 * what a test of a relative-error threshold needs to see.
 */
public final class BenchmarkFunction {
  /** The names {@link #named} knows. */
  public static final List<String> NAMES = List.of("branin", "hartmann6", "rosenbrock", "ackley");

  private final String name;
  private final SearchSpace space;
  private final double minimum;
  private final double[] minimizer;
  private final ToDoubleFunction<double[]> formula;
  private final double offset;

  private BenchmarkFunction(
      String name,
      SearchSpace space,
      double minimum,
      double[] minimizer,
      ToDoubleFunction<double[]> formula,
      double offset) {
    this.name = name;
    this.space = space;
    this.minimum = minimum;
    this.minimizer = minimizer;
    this.formula = formula;
    this.offset = offset;
  }

  /**
   * One of {@link #NAMES}.
   *
   * @throws IllegalArgumentException naming the allowed names
   */
  public static BenchmarkFunction named(String name) {
    return switch (name) {
      case "branin" -> branin();
      case "hartmann6" -> hartmann6();
      case "rosenbrock" -> rosenbrock(4);
      case "ackley" -> ackley(5);
      default ->
          throw new IllegalArgumentException(
              "no benchmark function named \"" + name + "\"; the allowed names are " + NAMES);
    };
  }

  /**
   * Branin-Hoo on {@code [-5, 10] x [0, 15]}: three global minima of {@code 5 / (4 pi)}, at {@code
   * (-pi, 12.275)}, {@code (pi, 2.275)} and {@code (3 pi, 2.475)}.
   */
  public static BenchmarkFunction branin() {
    var space = new SearchSpace(List.of(parameter(1, -5, 10), parameter(2, 0, 15)));
    return new BenchmarkFunction(
        "branin",
        space,
        0.397887357729738,
        new double[] {Math.PI, 2.275},
        BenchmarkFunction::branin,
        0);
  }

  /** Hartmann's six-dimensional function on {@code [0, 1]^6}: four Gaussian wells, one global. */
  public static BenchmarkFunction hartmann6() {
    return new BenchmarkFunction(
        "hartmann6",
        box(6, 0, 1),
        -3.32236801141551,
        new double[] {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573},
        BenchmarkFunction::hartmann6,
        0);
  }

  /**
   * Rosenbrock's valley on {@code [-5, 10]^d}: minimum 0 at {@code (1, ..., 1)}, at the end of a
   * long, flat, curved valley that is easy to find and hard to follow.
   */
  public static BenchmarkFunction rosenbrock(int dimension) {
    return new BenchmarkFunction(
        "rosenbrock",
        box(dimension, -5, 10),
        0,
        filled(dimension, 1),
        BenchmarkFunction::rosenbrock,
        0);
  }

  /**
   * Ackley's function on {@code [-32.768, 32.768]^d}: minimum 0 at the origin, in a landscape of
   * regularly spaced local minima.
   */
  public static BenchmarkFunction ackley(int dimension) {
    return new BenchmarkFunction(
        "ackley",
        box(dimension, -32.768, 32.768),
        0,
        filled(dimension, 0),
        BenchmarkFunction::ackley,
        0);
  }

  /** This function plus {@code shift} everywhere; shifts add up. */
  public BenchmarkFunction withOffset(double shift) {
    if (!Double.isFinite(shift)) {
      throw new IllegalArgumentException("an offset must be a finite number, got " + shift);
    }
    return new BenchmarkFunction(name, space, minimum, minimizer, formula, offset + shift);
  }

  public String name() {
    return name;
  }

  public SearchSpace space() {
    return space;
  }

  /** The constant added to the function, 0 unless {@link #withOffset shifted}. */
  public double offset() {
    return offset;
  }

  /** The global minimum value, offset included. */
  public double minimum() {
    return minimum + offset;
  }

  /** A point where the global minimum is reached (to the precision the literature gives). */
  public Configuration minimizer() {
    var values = new LinkedHashMap<String, Object>();
    for (int i = 0; i < minimizer.length; i++) {
      values.put(coordinate(i + 1), minimizer[i]);
    }
    return space.configuration(values);
  }

  /**
   * The function's value at {@code c}, offset included.
   *
   * @throws IllegalArgumentException when {@code c} lacks one of {@code x1} to {@code xd}
   */
  /** The value at the point {@code x}, its coordinates in the order x1..xd. */
  public double valueAt(double... x) {
    if (x.length != space.dimension()) {
      throw new IllegalArgumentException(
          name + " takes " + space.dimension() + " coordinates, got " + x.length);
    }
    return formula.applyAsDouble(x) + offset;
  }

  public double value(Configuration c) {
    double[] x = new double[space.dimension()];
    for (int i = 0; i < x.length; i++) {
      Object v = c.get(coordinate(i + 1));
      if (!(v instanceof Number n)) {
        throw new IllegalArgumentException(coordinate(i + 1) + " is not a number: " + v);
      }
      x[i] = n.doubleValue();
    }
    return formula.applyAsDouble(x) + offset;
  }

  @Override
  public String toString() {
    return offset == 0 ? name : String.format(Locale.ROOT, "%s%+g", name, offset);
  }

  private static double branin(double[] x) {
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    double valley = x[1] - b * x[0] * x[0] + c * x[0] - 6;
    return valley * valley + 10 * (1 - t) * Math.cos(x[0]) + 10;
  }

  private static final double[] HARTMANN_WEIGHT = {1.0, 1.2, 3.0, 3.2};
  private static final double[][] HARTMANN_SCALE = {
    {10, 3, 17, 3.5, 1.7, 8},
    {0.05, 10, 17, 0.1, 8, 14},
    {3, 3.5, 1.7, 10, 17, 8},
    {17, 8, 0.05, 10, 0.1, 14}
  };
  private static final double[][] HARTMANN_CENTRE = {
    {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
    {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
    {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
    {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}
  };

  private static double hartmann6(double[] x) {
    double sum = 0;
    for (int i = 0; i < HARTMANN_WEIGHT.length; i++) {
      double exponent = 0;
      for (int j = 0; j < x.length; j++) {
        double d = x[j] - HARTMANN_CENTRE[i][j];
        exponent += HARTMANN_SCALE[i][j] * d * d;
      }
      sum += HARTMANN_WEIGHT[i] * Math.exp(-exponent);
    }
    return -sum;
  }

  private static double rosenbrock(double[] x) {
    double sum = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double valley = x[i + 1] - x[i] * x[i];
      double toOne = x[i] - 1;
      sum += 100 * valley * valley + toOne * toOne;
    }
    return sum;
  }

  private static double ackley(double[] x) {
    double squares = 0;
    double cosines = 0;
    for (double v : x) {
      squares += v * v;
      cosines += Math.cos(2 * Math.PI * v);
    }
    return -20 * Math.exp(-0.2 * Math.sqrt(squares / x.length))
        - Math.exp(cosines / x.length)
        + 20
        + Math.E;
  }

  private static String coordinate(int i) {
    return "x" + i;
  }

  private static FloatParameter parameter(int i, double min, double max) {
    return new FloatParameter(coordinate(i), min, max, false);
  }

  private static SearchSpace box(int dimension, double min, double max) {
    if (dimension < 2) {
      throw new IllegalArgumentException("a benchmark function needs at least 2 dimensions");
    }
    var parameters = new ArrayList<Parameter>();
    for (int i = 1; i <= dimension; i++) {
      parameters.add(parameter(i, min, max));
    }
    return new SearchSpace(parameters);
  }

  private static double[] filled(int dimension, double value) {
    double[] x = new double[dimension];
    Arrays.fill(x, value);
    return x;
  }
}
