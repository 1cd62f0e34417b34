package dev.asap.engine.optimizer.tpe;

import dev.asap.engine.space.IntParameter;
import java.util.random.RandomGenerator;

/**
 * An integer parameter's axis: the truncated Gaussian of a real axis, with each value taking the
 * mass that falls on its bin of the unit interval. Neighbouring integers thus share the likelihood
 * of a good point, which a categorical kernel would not.
 *
 * @param parameter the integer parameter whose bins these are
 */
record BinnedAxis(IntParameter parameter) implements AxisKernel {

  @Override
  public double width(double[] column, int dimensions) {
    return ScottWidth.of(column, dimensions);
  }

  @Override
  public double logUnnormalized(double centre, double width, double x) {
    double[] bin = bin(x);
    return Math.log(TruncatedGaussian.mass(centre, width, bin[0], bin[1]));
  }

  @Override
  public double logNormalizer(double centre, double width) {
    return TruncatedGaussian.logUnitMass(centre, width);
  }

  @Override
  public double logUniform(double x) {
    double[] bin = bin(x);
    return Math.log(bin[1] - bin[0]);
  }

  @Override
  public double sample(double centre, double width, RandomGenerator rng) {
    // Any point of a bin maps to that bin's value, so a real draw is a draw of the bin.
    return TruncatedGaussian.sample(centre, width, rng);
  }

  /**
   * The sub-interval of [0, 1] that {@link IntParameter#fromUnit} maps to the value at {@code x}.
   */
  double[] bin(double x) {
    long v = (Long) parameter.fromUnit(x);
    if (parameter.log()) {
      // Log bins follow the parameter's own map: value v covers [log(v - 0.5), log(v + 0.5)].
      double lo = Math.log(parameter.min() - 0.5);
      double span = Math.log(parameter.top() + 0.5) - lo;
      return new double[] {
        Math.max(0, (Math.log(v - 0.5) - lo) / span), Math.min(1, (Math.log(v + 0.5) - lo) / span)
      };
    }
    long index = (v - parameter.min()) / parameter.step();
    double k = parameter.cardinality();
    return new double[] {index / k, (index + 1) / k};
  }
}
