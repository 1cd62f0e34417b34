package dev.asap.engine.optimizer.forest;

import java.util.SplittableRandom;

/**
 * Bagged regression trees whose spread serves as the uncertainty a Bayesian optimizer needs.
 *
 * <p>The predictive mean is the mean of the trees' leaf means. The predictive variance follows the
 * law of total variance, treating the forest as a uniform mixture of its trees: the variance of the
 * trees' leaf means plus the mean of their leaves' own variances. The first term is large where the
 * trees disagree (far from the data), the second where the data themselves scatter.
 */
final class RegressionForest {
  private final RegressionTree[] trees;

  private RegressionForest(RegressionTree[] trees) {
    this.trees = trees;
  }

  /**
   * Grows the forest on every row of {@code x}.
   *
   * @param categories per feature, its number of categories, or 0 for a numeric feature
   */
  static RegressionForest fit(
      double[][] x, double[] y, int[] categories, ForestSettings settings, SplittableRandom rng) {
    int n = y.length;
    var trees = new RegressionTree[settings.trees()];
    for (int t = 0; t < trees.length; t++) {
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = settings.bootstrap() ? rng.nextInt(n) : i;
      }
      trees[t] = RegressionTree.fit(x, y, rows, categories, settings, rng);
    }
    return new RegressionForest(trees);
  }

  /** Mean and variance of the prediction at {@code point}, as {@code {mean, variance}}. */
  double[] predict(double[] point) {
    double sum = 0;
    double sumSq = 0;
    double withinLeaves = 0;
    for (RegressionTree tree : trees) {
      int leaf = tree.leaf(point);
      double m = tree.leafMean(leaf);
      sum += m;
      sumSq += m * m;
      withinLeaves += tree.leafVariance(leaf);
    }
    int t = trees.length;
    double mean = sum / t;
    double acrossTrees = Math.max(0, sumSq / t - mean * mean);
    return new double[] {mean, acrossTrees + withinLeaves / t};
  }
}
