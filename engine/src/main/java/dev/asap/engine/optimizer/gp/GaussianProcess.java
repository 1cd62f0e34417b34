package dev.asap.engine.optimizer.gp;

import dev.asap.engine.optimizer.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;

/**
 * A Gaussian process conditioned on standardized losses: the Cholesky factor of its kernel matrix
 * and the weights {@code K^-1 y}, from which it answers posterior means and variances (with their
 * gradients along the feature columns, for the acquisition's local search).
 */
final class GaussianProcess {
  /** The smallest posterior variance reported, so that a standard deviation is never zero. */
  static final double MIN_VARIANCE = 1e-12;

  /** Noise variance of a fantasized observation: as small as a fitted noise may be. */
  static final double FANTASY_NOISE = MarginalLikelihood.MIN_NOISE;

  /** Extra diagonal tried, relative to the signal variance, when the factorization fails. */
  private static final double[] JITTER = {0, 1e-10, 1e-8, 1e-6, 1e-4};

  /** A posterior at one point, in standardized units. */
  record Posterior(double mean, double variance) {}

  private final FeatureSpace features;
  private final Hyperparameters hyperparameters;
  private final Matern52 kernel;
  private final List<double[]> inputs;
  private final double[] targets;

  /** The noise variance on each input's diagonal entry. */
  private final double[] noise;

  private final double shift;
  private final double scale;
  private final DMatrixRMaj lower;
  private final double[] weights;

  private GaussianProcess(
      FeatureSpace features,
      Hyperparameters hyperparameters,
      List<double[]> inputs,
      double[] targets,
      double[] noise,
      double shift,
      double scale) {
    this.features = features;
    this.hyperparameters = hyperparameters;
    this.kernel = new Matern52(features, hyperparameters);
    this.inputs = List.copyOf(inputs);
    this.targets = targets.clone();
    this.noise = noise.clone();
    this.shift = shift;
    this.scale = scale;
    int n = inputs.size();
    this.lower = factor(n);
    this.weights = targets.clone();
    TriangularSolver_DDRM.solveL(lower.data, weights, n);
    TriangularSolver_DDRM.solveTranL(lower.data, weights, n);
  }

  /**
   * Conditions the process on standardized {@code targets}; {@code shift} and {@code scale} map
   * them back to losses ({@code loss = shift + scale * target}).
   */
  static GaussianProcess condition(
      FeatureSpace features,
      Hyperparameters hyperparameters,
      List<double[]> inputs,
      double[] targets,
      double shift,
      double scale) {
    double[] noise = new double[inputs.size()];
    Arrays.fill(noise, hyperparameters.noiseVariance());
    return new GaussianProcess(features, hyperparameters, inputs, targets, noise, shift, scale);
  }

  private DMatrixRMaj factor(int n) {
    var k = new DMatrixRMaj(n, n);
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < a; b++) {
        double v = kernel.value(kernel.distance(inputs.get(a), inputs.get(b)));
        k.unsafe_set(a, b, v);
        k.unsafe_set(b, a, v);
      }
    }
    for (double jitter : JITTER) {
      for (int a = 0; a < n; a++) {
        k.unsafe_set(a, a, kernel.signalVariance() + noise[a] + jitter * kernel.signalVariance());
      }
      var cholesky = new CholeskyDecompositionInner_DDRM(true);
      // The decomposition works in place; keep k intact for the next jitter.
      if (cholesky.decompose(k.copy())) {
        return cholesky.getT(null);
      }
    }
    throw new IllegalStateException("kernel matrix is not positive definite: " + hyperparameters);
  }

  Hyperparameters hyperparameters() {
    return hyperparameters;
  }

  /** The posterior of the latent loss at a feature vector, in standardized units. */
  Posterior posterior(double[] x) {
    int n = inputs.size();
    double[] k = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      k[i] = kernel.value(kernel.distance(x, inputs.get(i)));
      mean += k[i] * weights[i];
    }
    TriangularSolver_DDRM.solveL(lower.data, k, n);
    double explained = 0;
    for (int i = 0; i < n; i++) {
      explained += k[i] * k[i];
    }
    return new Posterior(mean, Math.max(MIN_VARIANCE, kernel.signalVariance() - explained));
  }

  /**
   * The posterior at {@code x} and its gradient along the given feature columns, written into
   * {@code meanSlope} and {@code varianceSlope} (zero where the variance sits at its floor).
   */
  Posterior posterior(double[] x, int[] columns, double[] meanSlope, double[] varianceSlope) {
    int n = inputs.size();
    double[] k = new double[n];
    double[] radial = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      double r = kernel.distance(x, inputs.get(i));
      k[i] = kernel.value(r);
      radial[i] = kernel.radial(r);
      mean += k[i] * weights[i];
    }
    double[] v = k.clone();
    TriangularSolver_DDRM.solveL(lower.data, v, n);
    double explained = 0;
    for (int i = 0; i < n; i++) {
      explained += v[i] * v[i];
    }
    double variance = kernel.signalVariance() - explained;
    TriangularSolver_DDRM.solveTranL(lower.data, v, n); // now K^-1 k
    for (int m = 0; m < columns.length; m++) {
      int c = columns[m];
      double w = kernel.columnWeight(c);
      double dMean = 0;
      double dExplained = 0;
      for (int i = 0; i < n; i++) {
        double dk = -radial[i] * w * (x[c] - inputs.get(i)[c]);
        dMean += weights[i] * dk;
        dExplained += v[i] * dk;
      }
      meanSlope[m] = dMean;
      varianceSlope[m] = variance > MIN_VARIANCE ? -2 * dExplained : 0;
    }
    return new Posterior(mean, Math.max(MIN_VARIANCE, variance));
  }

  /** The belief about the loss at {@code x}, in loss units. */
  Prediction predict(double[] x) {
    Posterior p = posterior(x);
    return new Prediction(shift + scale * p.mean(), scale * Math.sqrt(p.variance()));
  }

  /** Maps a loss to this process's standardized units. */
  double standardize(double loss) {
    return (loss - shift) / scale;
  }

  /**
   * The process with each of {@code points} added as if it had been observed, without noise, at the
   * current posterior mean (the kriging believer): the mean stays put and the variance at those
   * points collapses, so the acquisition looks elsewhere for the next parallel slot. The fantasies
   * are noiseless: with a large fitted noise a believed point would keep much of its variance, and
   * the next slot would land right beside it.
   */
  GaussianProcess withFantasies(List<double[]> points) {
    if (points.isEmpty()) {
      return this;
    }
    int n = inputs.size();
    var x = new ArrayList<>(inputs);
    double[] y = Arrays.copyOf(targets, n + points.size());
    double[] z = Arrays.copyOf(noise, n + points.size());
    for (int i = 0; i < points.size(); i++) {
      x.add(points.get(i));
      y[n + i] = posterior(points.get(i)).mean();
      z[n + i] = FANTASY_NOISE;
    }
    return new GaussianProcess(features, hyperparameters, x, y, z, shift, scale);
  }
}
