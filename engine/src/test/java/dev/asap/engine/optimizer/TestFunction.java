package dev.asap.engine.optimizer;

import dev.asap.engine.simulation.BenchmarkFunction;
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
        "branin", space, 0.397887, c -> BenchmarkFunction.branin().valueAt(x(c, 0), x(c, 1)));
  }

  /** Hartmann-6 on [0, 1]^6; global minimum -3.32237. */
  public static TestFunction hartmann6() {
    return new TestFunction(
        "hartmann6",
        box(6, 0, 1),
        -3.32237,
        c -> HARTMANN6.valueAt(x(c, 0), x(c, 1), x(c, 2), x(c, 3), x(c, 4), x(c, 5)));
  }

  private static final BenchmarkFunction HARTMANN6 = BenchmarkFunction.hartmann6();

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
