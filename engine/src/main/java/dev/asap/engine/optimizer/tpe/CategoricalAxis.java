package dev.asap.engine.optimizer.tpe;

import dev.asap.engine.space.CategoricalParameter;
import java.util.random.RandomGenerator;

/**
 * A categorical parameter's axis: an Aitchison-Aitken kernel, which keeps its own category with
 * probability {@code 1 - s + s/K} and spreads {@code s} evenly over all K categories. Categories
 * have no order, so no neighbour is closer than another.
 *
 * <p>The smoothing {@code s} is {@code 1 / (n + 1)} for a component of n points: averaged over the
 * points, the kernels then give each category its count plus one pseudo-count shared evenly, over
 * {@code n + 1} (additive smoothing), so a category never seen keeps some probability.
 *
 * @param parameter the categorical parameter
 */
record CategoricalAxis(CategoricalParameter parameter) implements AxisKernel {

  @Override
  public double width(double[] column, int dimensions) {
    return 1.0 / (column.length + 1);
  }

  @Override
  public double logNormalizer(double centre, double width) {
    return 0;
  }

  @Override
  public double logUnnormalized(double centre, double width, double x) {
    double k = parameter.cardinality();
    double p = index(centre) == index(x) ? 1 - width + width / k : width / k;
    return Math.log(p);
  }

  @Override
  public double logUniform(double x) {
    return -Math.log(parameter.cardinality());
  }

  @Override
  public double sample(double centre, double width, RandomGenerator rng) {
    int k = (int) parameter.cardinality();
    int index = rng.nextDouble() < width ? rng.nextInt(k) : index(centre);
    return (index + 0.5) / k;
  }

  private int index(double x) {
    int k = (int) parameter.cardinality();
    return Math.min(k - 1, (int) Math.floor(x * k));
  }
}
