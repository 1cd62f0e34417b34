package dev.asap.engine.optimizer.gp;

import org.hipparchus.special.Erf;
import org.hipparchus.util.FastMath;

/**
 * The logarithm of expected improvement below an incumbent, computed so that it stays finite and
 * keeps a useful gradient far from the incumbent, where expected improvement itself underflows to
 * zero and a plain maximizer sees a flat landscape.
 *
 * <p>With {@code z = (best - mean) / sigma}, {@code EI = sigma * h(z)} and {@code h(z) = z Phi(z) +
 * phi(z)}. For ordinary {@code z} the formula is used as it stands. Below {@link
 * #CONTINUED_FRACTION_BELOW} it loses digits to cancellation, so there {@code h} is written as
 * {@code phi(z) * c / (t + c)} with {@code t = -z} and {@code c = 1 / (t + 2 / (t + 3 / (t +
 * ...)))}, the tail of Laplace's continued fraction for the Mills ratio {@code (1 - Phi(t)) /
 * phi(t) = 1 / (t + c)}; nothing is subtracted, and {@code log phi} is taken analytically.
 */
final class LogExpectedImprovement {
  /**
   * Where the continued fraction takes over; at {@code z = -3} the direct form still has 14 digits.
   */
  static final double CONTINUED_FRACTION_BELOW = -3;

  /** Terms of the continued fraction, enough for full double precision from {@code t = 3} on. */
  static final int CONTINUED_FRACTION_TERMS = 120;

  private static final double SQRT2 = Math.sqrt(2);
  private static final double LOG_SQRT_2PI = 0.5 * FastMath.log(2 * Math.PI);

  private LogExpectedImprovement() {}

  /** {@code log EI} for a Gaussian belief with this mean and standard deviation. */
  static double of(double mean, double sigma, double best) {
    return FastMath.log(sigma) + logH((best - mean) / sigma);
  }

  /** {@code log(z Phi(z) + phi(z))}. */
  static double logH(double z) {
    if (z >= CONTINUED_FRACTION_BELOW) {
      return FastMath.log(h(z));
    }
    double t = -z;
    double c = millsTail(t);
    return -0.5 * z * z - LOG_SQRT_2PI + FastMath.log(c / (t + c));
  }

  /** The derivative of {@link #logH}: {@code Phi(z) / h(z)}, since {@code h'(z) = Phi(z)}. */
  static double logHSlope(double z) {
    if (z >= CONTINUED_FRACTION_BELOW) {
      return cdf(z) / h(z);
    }
    // Phi(z) = phi(z) / (t + c) and h(z) = phi(z) c / (t + c), so the ratio is 1 / c.
    return 1 / millsTail(-z);
  }

  private static double h(double z) {
    return z * cdf(z) + FastMath.exp(-0.5 * z * z - LOG_SQRT_2PI);
  }

  private static double cdf(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** {@code c = 1 / (t + 2 / (t + 3 / (t + ...)))}, evaluated from the deepest term up. */
  private static double millsTail(double t) {
    double tail = 0;
    for (int k = CONTINUED_FRACTION_TERMS; k >= 1; k--) {
      tail = k / (t + tail);
    }
    return tail;
  }
}
