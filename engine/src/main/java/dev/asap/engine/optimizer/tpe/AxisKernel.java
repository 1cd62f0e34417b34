package dev.asap.engine.optimizer.tpe;

import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.Parameter;
import java.util.random.RandomGenerator;

/**
 * The one-dimensional kernel a Parzen estimator places on one axis of the unit cube, chosen by the
 * parameter's kind: a component's density is the product of these over the axes.
 */
sealed interface AxisKernel permits ContinuousAxis, BinnedAxis, CategoricalAxis {

  /** The kernel that fits {@code p}'s values. */
  static AxisKernel of(Parameter p) {
    if (p instanceof FloatParameter) {
      return new ContinuousAxis();
    }
    if (p instanceof IntParameter ip) {
      return new BinnedAxis(ip);
    }
    return new CategoricalAxis((CategoricalParameter) p);
  }

  /**
   * The kernel's width for a component fitted on {@code column}, the points' coordinates on this
   * axis, in a space of {@code dimensions} axes.
   */
  double width(double[] column, int dimensions);

  /** Log of the kernel centred on {@code centre} with {@code width}, at {@code x}. */
  default double logKernel(double centre, double width, double x) {
    return logUnnormalized(centre, width, x) - logNormalizer(centre, width);
  }

  /**
   * The kernel's log density or log mass at unit coordinate {@code x} before truncation to the unit
   * interval; an estimator subtracts {@link #logNormalizer} once per point rather than once per
   * evaluation.
   */
  double logUnnormalized(double centre, double width, double x);

  /** Log of the kernel's mass on [0, 1] before truncation. */
  double logNormalizer(double centre, double width);

  /** Log of the uniform prior at unit coordinate {@code x}. */
  double logUniform(double x);

  /** A unit coordinate drawn from the kernel centred on {@code centre}. */
  double sample(double centre, double width, RandomGenerator rng);
}
