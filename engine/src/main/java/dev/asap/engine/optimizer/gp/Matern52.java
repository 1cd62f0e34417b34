package dev.asap.engine.optimizer.gp;

import org.hipparchus.util.FastMath;

/**
 * The Matérn 5/2 kernel with one length scale per parameter: twice differentiable, so it models
 * losses that are smooth but not analytic, which suits hyperparameter responses better than the
 * squared-exponential kernel's infinitely smooth functions.
 *
 * <p>With {@code r} the length-scaled distance, {@code k(r) = s (1 + sqrt5 r + 5 r^2 / 3)
 * exp(-sqrt5 r)}.
 */
final class Matern52 {
  static final double SQRT5 = Math.sqrt(5);

  private final double signalVariance;

  /** {@code 1 / l^2} for each feature column, from its parameter's length scale. */
  private final double[] columnWeights;

  Matern52(FeatureSpace features, Hyperparameters h) {
    this.signalVariance = h.signalVariance();
    this.columnWeights = new double[features.width()];
    for (int j = 0; j < features.parameters(); j++) {
      double w = 1 / (h.lengthScales()[j] * h.lengthScales()[j]);
      for (int c = features.firstColumn(j); c < features.firstColumn(j + 1); c++) {
        columnWeights[c] = w;
      }
    }
  }

  double signalVariance() {
    return signalVariance;
  }

  double columnWeight(int column) {
    return columnWeights[column];
  }

  /** The length-scaled distance between two feature vectors. */
  double distance(double[] a, double[] b) {
    double r2 = 0;
    for (int c = 0; c < a.length; c++) {
      double d = a[c] - b[c];
      r2 += d * d * columnWeights[c];
    }
    return Math.sqrt(r2);
  }

  double value(double r) {
    return value(signalVariance, r);
  }

  static double value(double signalVariance, double r) {
    double sr = SQRT5 * r;
    return signalVariance * (1 + sr + sr * sr / 3) * FastMath.exp(-sr);
  }

  /**
   * {@code -(1/r) dk/dr}, finite at {@code r = 0}: the derivative of {@code k} along a column
   * {@code c} is {@code -radial(r) * w_c * (a_c - b_c)}, and along {@code log l_j} it is {@code
   * radial(r) * (scaled squared distance along j)}.
   */
  double radial(double r) {
    return radial(signalVariance, r);
  }

  static double radial(double signalVariance, double r) {
    double sr = SQRT5 * r;
    return signalVariance * (5.0 / 3.0) * (1 + sr) * FastMath.exp(-sr);
  }
}
