package dev.asap.engine.optimizer.forest;

import org.hipparchus.special.Erf;

/**
 * The logarithm of expected improvement below the best loss, computed so that it still ranks
 * candidates far above the incumbent, where plain expected improvement underflows to zero and every
 * such candidate would tie.
 */
final class LogExpectedImprovement {
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

  /**
   * Below this z the closed form loses its digits to cancellation; an asymptotic series takes over.
   */
  private static final double ASYMPTOTIC_BELOW = -10;

  private LogExpectedImprovement() {}

  /**
   * {@code log E[max(best - Y, 0)]} for {@code Y ~ N(mean, stddev^2)}; {@code -Infinity} when no
   * improvement is possible.
   */
  static double of(double mean, double stddev, double best) {
    if (!(stddev > 1e-12)) {
      return best > mean ? Math.log(best - mean) : Double.NEGATIVE_INFINITY;
    }
    double z = (best - mean) / stddev;
    return Math.log(stddev) + logH(z);
  }

  /** {@code log(z Phi(z) + phi(z))}, the expected improvement of a standard normal over -z. */
  static double logH(double z) {
    if (z >= ASYMPTOTIC_BELOW) {
      double cdf = 0.5 * Erf.erfc(-z / Math.sqrt(2));
      double pdf = Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
      return Math.log(z * cdf + pdf);
    }
    // For z -> -inf, h(z) = phi(z) / z^2 * (1 - 3/z^2 + 15/z^4 - 105/z^6 + ...), the odd double
    // factorials over even powers of z with alternating signs.
    double r = 1 / (z * z);
    double tail = r * (-3 + r * (15 + r * (-105 + r * (945 - 10395 * r))));
    return -0.5 * z * z - LOG_SQRT_2PI + Math.log(r) + Math.log1p(tail);
  }
}
