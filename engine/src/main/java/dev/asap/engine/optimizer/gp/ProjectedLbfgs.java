package dev.asap.engine.optimizer.gp;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS on a box: quasi-Newton directions from the last few steps, coordinates pinned
 * at a bound while the gradient pushes them outward, and a backtracking (Armijo) search along the
 * projected path. Used for the two smooth, bounded problems of the GP optimizer: the marginal
 * likelihood in log-hyperparameter space and the acquisition on the unit cube.
 *
 * <p>Hipparchus offers no bounded gradient method (its conjugate gradient rejects bounds, BOBYQA
 * and CMA-ES ignore the analytic gradients we have), hence this small one. It finds a local minimum
 * only; callers restart it from several points.
 */
final class ProjectedLbfgs {
  private static final int MEMORY = 6;
  private static final double ARMIJO = 1e-4;
  private static final int MAX_BACKTRACKS = 30;
  private static final double RELATIVE_TOLERANCE = 1e-9;

  private ProjectedLbfgs() {}

  /** A smooth function with its gradient. */
  interface Objective {
    /** Returns the value at {@code x} and writes the gradient into {@code gradient}. */
    double evaluate(double[] x, double[] gradient);
  }

  /** The best point reached and its value; the value is {@code +Infinity} if the start failed. */
  record Minimum(double[] point, double value) {}

  static Minimum minimize(
      Objective f, double[] start, double[] lower, double[] upper, int maxIterations) {
    int n = start.length;
    double[] x = project(start.clone(), lower, upper);
    double[] g = new double[n];
    double fx = f.evaluate(x, g);
    if (!Double.isFinite(fx)) {
      return new Minimum(x, Double.POSITIVE_INFINITY);
    }
    Deque<double[]> steps = new ArrayDeque<>();
    Deque<double[]> gradientChanges = new ArrayDeque<>();
    double[] gNew = new double[n];
    for (int iteration = 0; iteration < maxIterations; iteration++) {
      boolean[] pinned = pinned(x, g, lower, upper);
      double[] d = direction(g, pinned, steps, gradientChanges);
      double slope = dot(g, d);
      if (!(slope < 0)) {
        // The curvature memory no longer gives a descent direction: start it afresh.
        steps.clear();
        gradientChanges.clear();
        d = direction(g, pinned, steps, gradientChanges);
        slope = dot(g, d);
        if (!(slope < 0)) {
          break; // projected gradient is zero: a bounded stationary point
        }
      }
      double t = steps.isEmpty() ? Math.min(1.0, 1.0 / normInf(d)) : 1.0;
      double[] xNew = null;
      double fNew = Double.NaN;
      for (int k = 0; k < MAX_BACKTRACKS; k++) {
        double[] candidate = new double[n];
        for (int i = 0; i < n; i++) {
          candidate[i] = x[i] + t * d[i];
        }
        project(candidate, lower, upper);
        double decrease = 0;
        for (int i = 0; i < n; i++) {
          decrease += g[i] * (candidate[i] - x[i]);
        }
        double value = f.evaluate(candidate, gNew);
        if (Double.isFinite(value) && value <= fx + ARMIJO * Math.min(0, decrease)) {
          xNew = candidate;
          fNew = value;
          break;
        }
        t *= 0.5;
      }
      if (xNew == null) {
        break;
      }
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = xNew[i] - x[i];
        y[i] = gNew[i] - g[i];
      }
      if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
        steps.addLast(s);
        gradientChanges.addLast(y);
        if (steps.size() > MEMORY) {
          steps.removeFirst();
          gradientChanges.removeFirst();
        }
      }
      boolean stalled = fx - fNew <= RELATIVE_TOLERANCE * Math.max(1.0, Math.abs(fx));
      x = xNew;
      fx = fNew;
      System.arraycopy(gNew, 0, g, 0, n);
      if (stalled) {
        break;
      }
    }
    return new Minimum(x, fx);
  }

  /** Coordinates on a bound whose gradient points out of the box; they do not move this step. */
  private static boolean[] pinned(double[] x, double[] g, double[] lower, double[] upper) {
    boolean[] p = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      p[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
    }
    return p;
  }

  /** The two-loop recursion: minus the inverse-Hessian estimate times the free gradient. */
  private static double[] direction(
      double[] g, boolean[] pinned, Deque<double[]> steps, Deque<double[]> gradientChanges) {
    int n = g.length;
    double[] q = new double[n];
    for (int i = 0; i < n; i++) {
      q[i] = pinned[i] ? 0 : g[i];
    }
    int m = steps.size();
    double[][] s = steps.toArray(new double[0][]);
    double[][] y = gradientChanges.toArray(new double[0][]);
    double[] a = new double[m];
    for (int j = m - 1; j >= 0; j--) {
      a[j] = dot(s[j], q) / dot(y[j], s[j]);
      for (int i = 0; i < n; i++) {
        q[i] -= a[j] * y[j][i];
      }
    }
    if (m > 0) {
      double gamma = dot(s[m - 1], y[m - 1]) / dot(y[m - 1], y[m - 1]);
      for (int i = 0; i < n; i++) {
        q[i] *= gamma;
      }
    }
    for (int j = 0; j < m; j++) {
      double b = dot(y[j], q) / dot(y[j], s[j]);
      for (int i = 0; i < n; i++) {
        q[i] += (a[j] - b) * s[j][i];
      }
    }
    for (int i = 0; i < n; i++) {
      q[i] = pinned[i] ? 0 : -q[i];
    }
    return q;
  }

  private static double[] project(double[] x, double[] lower, double[] upper) {
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
    }
    return x;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static double normInf(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
