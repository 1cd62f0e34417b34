package dev.asap.engine.optimizer.forest;

/**
 * How a regression forest is grown, kept in one place so that tests can grow a single plain tree.
 *
 * @param trees number of trees
 * @param featureFraction share of the features each split may choose from, drawn anew per node
 * @param minSamplesLeaf fewest training rows (bootstrap duplicates counted) a leaf may hold
 * @param maxDepth deepest a tree may grow; a guard, not a regularizer
 * @param bootstrap whether each tree trains on a bootstrap resample instead of all rows
 */
record ForestSettings(
    int trees, double featureFraction, int minSamplesLeaf, int maxDepth, boolean bootstrap) {

  /** SMAC's choices: ten bootstrapped, nearly unpruned trees splitting on 5/6 of the features. */
  static final ForestSettings DEFAULT = new ForestSettings(10, 5.0 / 6.0, 3, 40, true);

  ForestSettings {
    if (trees < 1 || minSamplesLeaf < 1 || maxDepth < 0) {
      throw new IllegalArgumentException("invalid forest settings");
    }
    if (!(featureFraction > 0 && featureFraction <= 1)) {
      throw new IllegalArgumentException("feature fraction must be in (0, 1]");
    }
  }

  /** Number of features each split chooses from, out of {@code d}. */
  int featuresPerSplit(int d) {
    return Math.max(1, (int) Math.ceil(featureFraction * d - 1e-9));
  }
}
