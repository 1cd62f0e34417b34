package dev.asap.engine.optimizer.tpe;

/**
 * Scott's rule for a kernel's width on an ordered axis: the spread of the points times {@code
 * n^(-1/(d+4))}, the rate at which a product kernel in d dimensions should narrow as points
 * accumulate.
 *
 * <p>The spread is that of the points pooled with the uniform prior at its weight, so that one
 * point, or several close together, still give a kernel broad enough to look around them; the width
 * narrows only as good points pile up in one place.
 */
final class ScottWidth {
  /** Narrowest kernel allowed, in unit-cube units: below this the search stops moving. */
  static final double MIN = 0.01;

  private ScottWidth() {}

  static double of(double[] column, int dimensions) {
    int n = column.length;
    if (n == 0) {
      return 1;
    }
    double w0 = ParzenEstimator.PRIOR_WEIGHT;
    double sum = w0 * 0.5;
    for (double x : column) {
      sum += x;
    }
    double mean = sum / (n + w0);
    // The uniform prior's own variance is 1/12 about its centre 1/2.
    double squares = w0 * (1.0 / 12 + (0.5 - mean) * (0.5 - mean));
    for (double x : column) {
      squares += (x - mean) * (x - mean);
    }
    double spread = Math.sqrt(squares / (n + w0));
    double width = spread * Math.pow(n, -1.0 / (dimensions + 4));
    return Math.min(1, Math.max(MIN, width));
  }
}
