package dev.asap.engine.optimizer.cmaes;

import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * The multivariate normal {@code N(m, sigma^2 C)} of one CMA-ES run and its adaptation from ranked
 * solutions: weighted recombination of the mean, cumulative step-size adaptation, and the rank-one
 * and rank-mu updates of the covariance matrix.
 *
 * <p>It knows nothing of the unit cube or of configurations: it samples points, turns a told point
 * into a step from the mean, and updates itself from a generation of steps with their losses.
 */
final class SearchDistribution {
  /** Told point expressed in the distribution's frame: {@code y = (x - m) / sigma}. */
  record Step(double[] y, double loss) {}

  private final StrategyParameters p;
  private final double[] mean;
  private double sigma;
  private RealMatrix covariance;
  private RealMatrix basis;
  private double[] scales;
  private RealMatrix inverseRoot;
  private final double[] pathC;
  private final double[] pathSigma;
  private int generation;

  SearchDistribution(StrategyParameters p, double[] mean, double sigma) {
    if (mean.length != p.dimension()) {
      throw new IllegalArgumentException(
          "mean has " + mean.length + " coordinates, expected " + p.dimension());
    }
    this.p = p;
    this.mean = mean.clone();
    this.sigma = sigma;
    this.covariance = MatrixUtils.createRealIdentityMatrix(p.dimension());
    this.pathC = new double[p.dimension()];
    this.pathSigma = new double[p.dimension()];
    decompose();
  }

  private SearchDistribution(SearchDistribution from) {
    this.p = from.p;
    this.mean = from.mean.clone();
    this.sigma = from.sigma;
    this.covariance = from.covariance.copy();
    this.basis = from.basis.copy();
    this.scales = from.scales.clone();
    this.inverseRoot = from.inverseRoot.copy();
    this.pathC = from.pathC.clone();
    this.pathSigma = from.pathSigma.clone();
    this.generation = from.generation;
  }

  /** An independent distribution in the same state. */
  SearchDistribution copy() {
    return new SearchDistribution(this);
  }

  StrategyParameters parameters() {
    return p;
  }

  double[] mean() {
    return mean.clone();
  }

  double sigma() {
    return sigma;
  }

  /** Number of updates so far. */
  int generation() {
    return generation;
  }

  /** The largest standard deviation along any axis of the distribution. */
  double largestStdDev() {
    return sigma * max(scales);
  }

  /** Ratio of the largest to the smallest eigenvalue of {@code C}. */
  double conditionNumber() {
    double lo = min(scales);
    double hi = max(scales);
    return (hi * hi) / (lo * lo);
  }

  /** Draws {@code m + sigma B D z} with {@code z} standard normal. */
  double[] sample(RandomGenerator rng) {
    int n = p.dimension();
    double[] scaled = new double[n];
    for (int i = 0; i < n; i++) {
      scaled[i] = scales[i] * rng.nextGaussian();
    }
    double[] y = basis.operate(scaled);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = mean[i] + sigma * y[i];
    }
    return x;
  }

  /**
   * The step from the mean to {@code x}; with {@code clip}, shortened so that its Mahalanobis
   * length is at most {@code sqrt(n) + 2n / (n + 2)}, a little above that of a typical sample, so
   * that a point this distribution did not draw moves it no further than one of its own could.
   */
  double[] stepTo(double[] x, boolean clip) {
    int n = p.dimension();
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = (x[i] - mean[i]) / sigma;
    }
    if (clip) {
      double length = norm(inverseRoot.operate(y));
      double limit = Math.sqrt(n) + 2.0 * n / (n + 2);
      if (length > limit) {
        for (int i = 0; i < n; i++) {
          y[i] *= limit / length;
        }
      }
    }
    return y;
  }

  /**
   * Moves the mean towards the best of {@code steps}, then adapts the paths, the covariance and the
   * step size. The steps must be relative to the current mean and sigma.
   */
  void update(List<Step> steps) {
    if (steps.size() < p.mu()) {
      throw new IllegalArgumentException(
          "an update needs at least " + p.mu() + " steps, got " + steps.size());
    }
    int n = p.dimension();
    List<Step> ranked = steps.stream().sorted(Comparator.comparingDouble(Step::loss)).toList();
    double[] w = p.weights();

    double[] yw = new double[n];
    for (int k = 0; k < p.mu(); k++) {
      double[] y = ranked.get(k).y();
      for (int i = 0; i < n; i++) {
        yw[i] += w[k] * y[i];
      }
    }
    for (int i = 0; i < n; i++) {
      mean[i] += sigma * yw[i];
    }

    double[] whitened = inverseRoot.operate(yw);
    double sigmaRate = Math.sqrt(p.cs() * (2 - p.cs()) * p.muEff());
    for (int i = 0; i < n; i++) {
      pathSigma[i] = (1 - p.cs()) * pathSigma[i] + sigmaRate * whitened[i];
    }
    double pathSigmaLength = norm(pathSigma);
    // The stall flag keeps the rank-one path from growing too long while sigma is still rising.
    double unbiased =
        pathSigmaLength / Math.sqrt(1 - Math.pow(1 - p.cs(), 2.0 * (generation + 1))) / p.chiN();
    boolean moving = unbiased < 1.4 + 2.0 / (n + 1);
    double covRate = Math.sqrt(p.cc() * (2 - p.cc()) * p.muEff());
    for (int i = 0; i < n; i++) {
      pathC[i] = (1 - p.cc()) * pathC[i] + (moving ? covRate * yw[i] : 0);
    }

    double lost = moving ? 0 : p.c1() * p.cc() * (2 - p.cc());
    RealMatrix next = covariance.scalarMultiply(1 - p.c1() - p.cmu() + lost);
    next = next.add(outer(pathC).scalarMultiply(p.c1()));
    for (int k = 0; k < p.mu(); k++) {
      next = next.add(outer(ranked.get(k).y()).scalarMultiply(p.cmu() * w[k]));
    }
    covariance = symmetric(next);

    sigma *= Math.exp((p.cs() / p.damps()) * (pathSigmaLength / p.chiN() - 1));
    generation++;
    decompose();
  }

  /** Caps sigma so that no axis of the distribution is wider than {@code limit}. */
  void capLargestStdDev(double limit) {
    double widest = largestStdDev();
    if (widest > limit) {
      sigma *= limit / widest;
    }
  }

  private void decompose() {
    int n = p.dimension();
    var eigen = new EigenDecompositionSymmetric(covariance);
    basis = eigen.getV();
    double[] values = eigen.getEigenvalues();
    scales = new double[n];
    double[] inverse = new double[n];
    for (int i = 0; i < n; i++) {
      // Round-off can leave an eigenvalue a hair below zero once C is very ill-conditioned.
      scales[i] = Math.sqrt(Math.max(values[i], Double.MIN_NORMAL));
      inverse[i] = 1 / scales[i];
    }
    inverseRoot =
        basis.multiply(MatrixUtils.createRealDiagonalMatrix(inverse)).multiply(eigen.getVT());
  }

  private static RealMatrix outer(double[] v) {
    return MatrixUtils.createColumnRealMatrix(v)
        .multiplyTransposed(MatrixUtils.createColumnRealMatrix(v));
  }

  private static RealMatrix symmetric(RealMatrix m) {
    return m.add(m.transpose()).scalarMultiply(0.5);
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }
}
