package dev.asap.engine.optimizer.tpe;

import java.util.random.RandomGenerator;
import org.hipparchus.special.Erf;

/**
 * The normal distribution cut to the unit interval: the kernel TPE puts on every ordered
 * coordinate, since the unit cube is where all its densities live.
 */
final class TruncatedGaussian {
  private static final double SQRT2 = Math.sqrt(2);
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

  /** Width, in standard deviations, below which an interval's mass is taken by the midpoint. */
  private static final double NARROW = 1e-4;

  private TruncatedGaussian() {}

  /** The standard normal distribution function. */
  static double cdf(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** The mass of N(mu, sigma²) on [a, b], without cancellation in the upper tail. */
  static double mass(double mu, double sigma, double a, double b) {
    double za = (a - mu) / sigma;
    double zb = (b - mu) / sigma;
    if (zb - za < NARROW) {
      // A bin of a very fine integer grid: a difference of two close values of the distribution
      // function loses most of its digits, while density times width errs by a relative
      // width² (z² - 1) / 24, under 1e-8 wherever the mass is not negligible.
      double mid = 0.5 * (za + zb);
      return Math.exp(-0.5 * mid * mid - LOG_SQRT_2PI) * (zb - za);
    }
    // Far above the mean both values of the distribution function round to 1; use the
    // complementary tails there instead.
    return za > 0 ? cdf(-za) - cdf(-zb) : cdf(zb) - cdf(za);
  }

  /** Log density at {@code x} of N(mu, sigma²), before truncation. */
  static double logGaussian(double x, double mu, double sigma) {
    double z = (x - mu) / sigma;
    return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma);
  }

  /** Log of the mass of N(mu, sigma²) on [0, 1], which truncation divides by. */
  static double logUnitMass(double mu, double sigma) {
    return Math.log(mass(mu, sigma, 0, 1));
  }

  /** One draw by inverting the distribution function between the truncation points. */
  static double sample(double mu, double sigma, RandomGenerator rng) {
    double lo = cdf(-mu / sigma);
    double hi = cdf((1 - mu) / sigma);
    double p = lo + rng.nextDouble() * (hi - lo);
    double z = -SQRT2 * Erf.erfcInv(2 * p);
    return Math.min(1, Math.max(0, mu + sigma * z));
  }
}
