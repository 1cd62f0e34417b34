package dev.asap.engine.optimizer.tpe;

import java.util.random.RandomGenerator;

/**
 * A real parameter's axis: a Gaussian cut to [0, 1]. A log-scale parameter needs nothing more,
 * since its unit coordinate is already the logarithm of its value.
 */
record ContinuousAxis() implements AxisKernel {

  @Override
  public double width(double[] column, int dimensions) {
    return ScottWidth.of(column, dimensions);
  }

  @Override
  public double logUnnormalized(double centre, double width, double x) {
    return TruncatedGaussian.logGaussian(x, centre, width);
  }

  @Override
  public double logNormalizer(double centre, double width) {
    return TruncatedGaussian.logUnitMass(centre, width);
  }

  @Override
  public double logUniform(double x) {
    return 0;
  }

  @Override
  public double sample(double centre, double width, RandomGenerator rng) {
    return TruncatedGaussian.sample(centre, width, rng);
  }
}
