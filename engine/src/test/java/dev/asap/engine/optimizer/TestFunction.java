package dev.asap.engine.optimizer;

import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.Parameter;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Standard optimization test functions, each with its search space and known minimum.
 *
 * @param name a short name
 * @param space the box the function is searched on
 * @param minimum the global minimum value
 * @param f the function of a configuration
 */
public record TestFunction(
    String name, SearchSpace space, double minimum, ToDoubleFunction<Configuration> f) {

  public double evaluate(Configuration c) {
    return f.applyAsDouble(c);
  }

  static double x(Configuration c, int i) {
    return (Double) c.get("x" + i);
  }

  /** Branin-Hoo on [-5, 10] x [0, 15]; three global minima of 0.397887. */
  public static TestFunction branin() {
    var space =
        new SearchSpace(
            List.of(
                new FloatParameter("x0", -5, 10, false), new FloatParameter("x1", 0, 15, false)));
    return new TestFunction(
        "branin",
        space,
        0.397887,
        c -> {
          double x1 = x(c, 0);
          double x2 = x(c, 1);
          double b = 5.1 / (4 * Math.PI * Math.PI);
          double cc = 5 / Math.PI;
          double t = 1 / (8 * Math.PI);
          return Math.pow(x2 - b * x1 * x1 + cc * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
        });
  }

  private static final double[] H6_ALPHA = {1.0, 1.2, 3.0, 3.2};
  private static final double[][] H6_A = {
    {10, 3, 17, 3.5, 1.7, 8},
    {0.05, 10, 17, 0.1, 8, 14},
    {3, 3.5, 1.7, 10, 17, 8},
    {17, 8, 0.05, 10, 0.1, 14}
  };
  private static final double[][] H6_P = {
    {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
    {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
    {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
    {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}
  };

  /** Hartmann-6 on [0, 1]^6; global minimum -3.32237. */
  public static TestFunction hartmann6() {
    return new TestFunction(
        "hartmann6",
        box(6, 0, 1),
        -3.32237,
        c -> {
          double sum = 0;
          for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int j = 0; j < 6; j++) {
              double d = x(c, j) - H6_P[i][j];
              inner += H6_A[i][j] * d * d;
            }
            sum += H6_ALPHA[i] * Math.exp(-inner);
          }
          return -sum;
        });
  }

  /** Rosenbrock in four dimensions on [-2, 2]^4; global minimum 0 at (1, 1, 1, 1). */
  public static TestFunction rosenbrock4() {
    return new TestFunction(
        "rosenbrock4",
        box(4, -2, 2),
        0,
        c -> {
          double sum = 0;
          for (int i = 0; i < 3; i++) {
            double a = x(c, i);
            double b = x(c, i + 1);
            sum += 100 * Math.pow(b - a * a, 2) + Math.pow(1 - a, 2);
          }
          return sum;
        });
  }

  static SearchSpace box(int d, double lo, double hi) {
    var ps = new ArrayList<Parameter>();
    for (int i = 0; i < d; i++) {
      ps.add(new FloatParameter("x" + i, lo, hi, false));
    }
    return new SearchSpace(ps);
  }
}
