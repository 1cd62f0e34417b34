package dev.asap.engine.optimizer.tpe;

import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A Parzen (kernel density) estimator over the unit cube: one product kernel per point, jointly
 * over all axes, mixed with a uniform prior. Keeping each point's coordinates together is what
 * makes this TPE multivariate: a draw near one good point stays near it on every axis at once, so
 * interactions between parameters survive.
 *
 * <p>Every point weighs 1 and the prior {@link #PRIOR_WEIGHT}. Old points are not down-weighted:
 * the studies this serves are short, so the oldest observations are still informative.
 */
final class ParzenEstimator {
  /**
   * Weight of the uniform prior against one point's weight of 1. The prior keeps every density
   * positive everywhere, so the density ratio is always defined and TPE keeps exploring.
   */
  static final double PRIOR_WEIGHT = 1.0;

  private final List<AxisKernel> axes;
  private final double[][] centres;
  private final double[] widths;

  /** Per point, the sum over axes of the kernels' log normalizers. */
  private final double[] logNormalizers;

  private ParzenEstimator(List<AxisKernel> axes, double[][] centres, double[] widths) {
    this.axes = axes;
    this.centres = centres;
    this.widths = widths;
    this.logNormalizers = new double[centres.length];
    for (int i = 0; i < centres.length; i++) {
      for (int j = 0; j < widths.length; j++) {
        logNormalizers[i] += axes.get(j).logNormalizer(centres[i][j], widths[j]);
      }
    }
  }

  /** Fits the estimator to {@code points}, given as unit-cube coordinates of {@code space}. */
  static ParzenEstimator fit(SearchSpace space, List<double[]> points) {
    int d = space.dimension();
    var axes = new ArrayList<AxisKernel>(d);
    double[] widths = new double[d];
    for (int j = 0; j < d; j++) {
      AxisKernel axis = AxisKernel.of(space.parameters().get(j));
      double[] column = new double[points.size()];
      for (int i = 0; i < column.length; i++) {
        column[i] = points.get(i)[j];
      }
      axes.add(axis);
      widths[j] = axis.width(column, d);
    }
    return new ParzenEstimator(List.copyOf(axes), points.toArray(double[][]::new), widths);
  }

  /** The kernel width on each axis (a smoothing probability on categorical axes). */
  double[] widths() {
    return widths.clone();
  }

  /** Log density at the unit-cube point {@code x}. */
  double logDensity(double[] x) {
    double[] terms = new double[centres.length + 1];
    double uniform = Math.log(PRIOR_WEIGHT);
    for (int j = 0; j < x.length; j++) {
      uniform += axes.get(j).logUniform(x[j]);
    }
    terms[centres.length] = uniform;
    for (int i = 0; i < centres.length; i++) {
      double t = -logNormalizers[i];
      for (int j = 0; j < x.length; j++) {
        t += axes.get(j).logUnnormalized(centres[i][j], widths[j], x[j]);
      }
      terms[i] = t;
    }
    return logSumExp(terms) - Math.log(centres.length + PRIOR_WEIGHT);
  }

  /** A unit-cube point drawn from the mixture. */
  double[] sample(RandomGenerator rng) {
    double[] x = new double[axes.size()];
    double pick = rng.nextDouble() * (centres.length + PRIOR_WEIGHT);
    if (pick >= centres.length) {
      for (int j = 0; j < x.length; j++) {
        x[j] = rng.nextDouble();
      }
      return x;
    }
    double[] centre = centres[(int) pick];
    for (int j = 0; j < x.length; j++) {
      x[j] = axes.get(j).sample(centre[j], widths[j], rng);
    }
    return x;
  }

  private static double logSumExp(double[] terms) {
    double max = Double.NEGATIVE_INFINITY;
    for (double t : terms) {
      max = Math.max(max, t);
    }
    double sum = 0;
    for (double t : terms) {
      sum += Math.exp(t - max);
    }
    return max + Math.log(sum);
  }
}
