package dev.asap.engine.optimizer.gp;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;
import org.ejml.dense.row.linsol.chol.LinearSolverChol_DDRM;
import org.hipparchus.util.FastMath;

/**
 * The negative log marginal likelihood of standardized losses as a function of the log
 * hyperparameters {@code [log l_1 .. log l_p, log signal, log noise]}, with its analytic gradient
 * {@code -1/2 tr((a a^T - K^-1) dK)}, {@code a = K^-1 y}; and the bounded multi-start fit that
 * minimizes it.
 */
final class MarginalLikelihood implements ProjectedLbfgs.Objective {
  /** Length scales on the unit cube: from a hundredth of an edge to ten edges (irrelevant). */
  static final double MIN_LENGTH_SCALE = 0.01;

  static final double MAX_LENGTH_SCALE = 10;

  /** Signal variance in standardized units, where the sample variance is 1. */
  static final double MIN_SIGNAL = 0.05;

  static final double MAX_SIGNAL = 20;

  /** Noise variance in standardized units; the floor keeps the kernel matrix well conditioned. */
  static final double MIN_NOISE = 1e-6;

  static final double MAX_NOISE = 1;

  private static final double LOG_2PI = FastMath.log(2 * Math.PI);

  private final int n;
  private final int p;
  private final double[] y;

  /**
   * For each pair {@code a < b} and parameter {@code j}, the squared distance along j's columns.
   */
  private final double[] pairDistances;

  private final double[] pairRadius;
  private final double[] pairKernel;
  private final DMatrixRMaj k;
  private final DMatrixRMaj kInverse;
  private final CholeskyDecompositionInner_DDRM cholesky =
      new CholeskyDecompositionInner_DDRM(true);
  private final LinearSolverChol_DDRM solver = new LinearSolverChol_DDRM(cholesky);

  MarginalLikelihood(FeatureSpace features, List<double[]> inputs, double[] y) {
    this.n = inputs.size();
    this.p = features.parameters();
    this.y = y.clone();
    int pairs = n * (n - 1) / 2;
    this.pairDistances = new double[pairs * p];
    this.pairRadius = new double[pairs];
    this.pairKernel = new double[pairs];
    for (int a = 0, idx = 0; a < n; a++) {
      for (int b = 0; b < a; b++, idx++) {
        double[] xa = inputs.get(a);
        double[] xb = inputs.get(b);
        for (int j = 0; j < p; j++) {
          double s = 0;
          for (int c = features.firstColumn(j); c < features.firstColumn(j + 1); c++) {
            s += (xa[c] - xb[c]) * (xa[c] - xb[c]);
          }
          pairDistances[idx * p + j] = s;
        }
      }
    }
    this.k = new DMatrixRMaj(n, n);
    this.kInverse = new DMatrixRMaj(n, n);
  }

  /** Lower bounds of the log hyperparameters. */
  double[] lowerBounds() {
    return bounds(MIN_LENGTH_SCALE, MIN_SIGNAL, MIN_NOISE);
  }

  /** Upper bounds of the log hyperparameters. */
  double[] upperBounds() {
    return bounds(MAX_LENGTH_SCALE, MAX_SIGNAL, MAX_NOISE);
  }

  private double[] bounds(double lengthScale, double signal, double noise) {
    double[] b = new double[p + 2];
    Arrays.fill(b, 0, p, FastMath.log(lengthScale));
    b[p] = FastMath.log(signal);
    b[p + 1] = FastMath.log(noise);
    return b;
  }

  /** Returns {@code +Infinity} where the kernel matrix cannot be factored. */
  @Override
  public double evaluate(double[] theta, double[] gradient) {
    double[] inverseSquaredScale = new double[p];
    for (int j = 0; j < p; j++) {
      inverseSquaredScale[j] = FastMath.exp(-2 * theta[j]);
    }
    double signal = FastMath.exp(theta[p]);
    double noise = FastMath.exp(theta[p + 1]);
    for (int a = 0, idx = 0; a < n; a++) {
      for (int b = 0; b < a; b++, idx++) {
        double r2 = 0;
        for (int j = 0; j < p; j++) {
          r2 += pairDistances[idx * p + j] * inverseSquaredScale[j];
        }
        double r = Math.sqrt(r2);
        double v = Matern52.value(signal, r);
        pairRadius[idx] = r;
        pairKernel[idx] = v;
        k.unsafe_set(a, b, v);
        k.unsafe_set(b, a, v);
      }
      k.unsafe_set(a, a, signal + noise);
    }
    if (!solver.setA(k)) {
      return Double.POSITIVE_INFINITY;
    }
    double[] lower = cholesky.getT().data;
    double[] alpha = y.clone();
    TriangularSolver_DDRM.solveL(lower, alpha, n);
    double fit = 0;
    for (int i = 0; i < n; i++) {
      fit += alpha[i] * alpha[i];
    }
    TriangularSolver_DDRM.solveTranL(lower, alpha, n);
    double halfLogDet = 0;
    for (int i = 0; i < n; i++) {
      halfLogDet += FastMath.log(lower[i * n + i]);
    }
    double value = 0.5 * fit + halfLogDet + 0.5 * n * LOG_2PI;
    if (!Double.isFinite(value)) {
      return Double.POSITIVE_INFINITY;
    }

    solver.invert(kInverse);
    Arrays.fill(gradient, 0);
    for (int a = 0, idx = 0; a < n; a++) {
      for (int b = 0; b < a; b++, idx++) {
        // Off-diagonal entries appear twice in the trace; the 1/2 in front cancels that.
        double w = alpha[a] * alpha[b] - kInverse.unsafe_get(a, b);
        double radial = Matern52.radial(signal, pairRadius[idx]);
        for (int j = 0; j < p; j++) {
          gradient[j] -= w * radial * pairDistances[idx * p + j] * inverseSquaredScale[j];
        }
        gradient[p] -= w * pairKernel[idx];
      }
      double w = alpha[a] * alpha[a] - kInverse.unsafe_get(a, a);
      gradient[p] -= 0.5 * w * signal;
      gradient[p + 1] -= 0.5 * w * noise;
    }
    return value;
  }

  /**
   * Minimizes over the bounded box from a fixed start and {@code starts - 1} random ones, and
   * returns the best hyperparameters found (the fixed start's if every run failed).
   */
  static Hyperparameters fit(
      FeatureSpace features,
      List<double[]> inputs,
      double[] y,
      SplittableRandom rng,
      int starts,
      int iterations) {
    var objective = new MarginalLikelihood(features, inputs, y);
    int p = features.parameters();
    double[] lower = objective.lowerBounds();
    double[] upper = objective.upperBounds();
    double[] fixed = new double[p + 2];
    Arrays.fill(fixed, 0, p, FastMath.log(0.5));
    fixed[p] = 0;
    fixed[p + 1] = FastMath.log(1e-3);
    double[] best = fixed;
    double bestValue = Double.POSITIVE_INFINITY;
    for (int s = 0; s < starts; s++) {
      double[] start = s == 0 ? fixed : randomStart(p, rng);
      var minimum = ProjectedLbfgs.minimize(objective, start, lower, upper, iterations);
      if (minimum.value() < bestValue) {
        best = minimum.point();
        bestValue = minimum.value();
      }
    }
    return Hyperparameters.fromLog(best);
  }

  /** A start in the region where fitted values usually land, not the whole box. */
  private static double[] randomStart(int p, SplittableRandom rng) {
    double[] t = new double[p + 2];
    for (int j = 0; j < p; j++) {
      t[j] = FastMath.log(0.05) + rng.nextDouble() * (FastMath.log(2) - FastMath.log(0.05));
    }
    t[p] = FastMath.log(0.3) + rng.nextDouble() * (FastMath.log(3) - FastMath.log(0.3));
    t[p + 1] = FastMath.log(1e-5) + rng.nextDouble() * (FastMath.log(1e-1) - FastMath.log(1e-5));
    return t;
  }
}
