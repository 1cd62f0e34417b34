package dev.asap.engine.optimizer.forest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A regression tree grown by least squares, with native splits on categorical features.
 *
 * <p>A numeric feature splits at the midpoint between two neighbouring distinct training values;
 * rows at or below it go left. A categorical feature (its value is the category's index) splits
 * into a subset of categories and the rest: ordering the categories present at the node by their
 * mean target and cutting that order is the best least-squares subset split (Breiman's result for
 * regression), so no search over all subsets is needed. A category that no training row at the node
 * had goes to the child with more rows. Each leaf keeps the mean and the population variance of its
 * targets.
 */
final class RegressionTree {
  private final int[] feature;
  private final double[] threshold;
  private final boolean[][] leftCategories;
  private final int[] left;
  private final int[] right;
  private final double[] mean;
  private final double[] variance;

  private RegressionTree(List<Node> nodes) {
    int n = nodes.size();
    feature = new int[n];
    threshold = new double[n];
    leftCategories = new boolean[n][];
    left = new int[n];
    right = new int[n];
    mean = new double[n];
    variance = new double[n];
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      feature[i] = node.feature;
      threshold[i] = node.threshold;
      leftCategories[i] = node.leftCategories;
      left[i] = node.left;
      right[i] = node.right;
      mean[i] = node.mean;
      variance[i] = node.variance;
    }
  }

  /**
   * Grows a tree on the given rows of {@code x}; a row listed twice (a bootstrap duplicate) counts
   * twice.
   *
   * @param categories per feature, its number of categories, or 0 for a numeric feature
   */
  static RegressionTree fit(
      double[][] x,
      double[] y,
      int[] rows,
      int[] categories,
      ForestSettings settings,
      SplittableRandom rng) {
    var grower = new Grower(x, y, categories, settings, rng);
    grower.grow(rows.clone(), 0);
    return new RegressionTree(grower.nodes);
  }

  /** Index of the leaf that {@code point} falls into. */
  int leaf(double[] point) {
    int i = 0;
    while (feature[i] >= 0) {
      double v = point[feature[i]];
      boolean goesLeft = leftCategories[i] == null ? v <= threshold[i] : leftCategories[i][(int) v];
      i = goesLeft ? left[i] : right[i];
    }
    return i;
  }

  double leafMean(int leaf) {
    return mean[leaf];
  }

  double leafVariance(int leaf) {
    return variance[leaf];
  }

  /** Number of nodes, leaves included. */
  int size() {
    return feature.length;
  }

  private static final class Node {
    int feature = -1;
    double threshold;
    boolean[] leftCategories;
    int left;
    int right;
    double mean;
    double variance;
  }

  /** A candidate split: its gain in explained sum of squares and how it routes rows. */
  private record Split(double gain, int feature, double threshold, boolean[] leftCategories) {}

  private static final class Grower {
    final double[][] x;
    final double[] y;
    final int[] categories;
    final ForestSettings settings;
    final SplittableRandom rng;
    final List<Node> nodes = new ArrayList<>();

    Grower(
        double[][] x, double[] y, int[] categories, ForestSettings settings, SplittableRandom rng) {
      this.x = x;
      this.y = y;
      this.categories = categories;
      this.settings = settings;
      this.rng = rng;
    }

    int grow(int[] rows, int depth) {
      var node = new Node();
      int index = nodes.size();
      nodes.add(node);
      double sum = 0;
      double sumSq = 0;
      for (int r : rows) {
        sum += y[r];
        sumSq += y[r] * y[r];
      }
      node.mean = sum / rows.length;
      node.variance = Math.max(0, sumSq / rows.length - node.mean * node.mean);
      if (depth >= settings.maxDepth()
          || rows.length < 2 * settings.minSamplesLeaf()
          || node.variance == 0) {
        return index;
      }
      Split best = null;
      for (int f : chooseFeatures()) {
        Split s = categories[f] > 0 ? categoricalSplit(rows, f, sum) : numericSplit(rows, f, sum);
        if (s != null && (best == null || s.gain() > best.gain())) {
          best = s;
        }
      }
      if (best == null) {
        return index;
      }
      int[][] parts = partition(rows, best);
      node.feature = best.feature();
      node.threshold = best.threshold();
      node.leftCategories = best.leftCategories();
      node.left = grow(parts[0], depth + 1);
      node.right = grow(parts[1], depth + 1);
      return index;
    }

    /** A fresh random subset of the features, as a partial Fisher-Yates shuffle. */
    int[] chooseFeatures() {
      int d = categories.length;
      int[] all = new int[d];
      for (int i = 0; i < d; i++) {
        all[i] = i;
      }
      int k = settings.featuresPerSplit(d);
      for (int i = 0; i < k; i++) {
        int j = i + rng.nextInt(d - i);
        int t = all[i];
        all[i] = all[j];
        all[j] = t;
      }
      return Arrays.copyOf(all, k);
    }

    Split numericSplit(int[] rows, int f, double sum) {
      Integer[] order = Arrays.stream(rows).boxed().toArray(Integer[]::new);
      Arrays.sort(order, Comparator.comparingDouble(r -> x[r][f]));
      int n = order.length;
      int minLeaf = settings.minSamplesLeaf();
      double leftSum = 0;
      Split best = null;
      for (int i = 1; i < n; i++) {
        leftSum += y[order[i - 1]];
        double below = x[order[i - 1]][f];
        double above = x[order[i]][f];
        if (i < minLeaf || n - i < minLeaf || below == above) {
          continue;
        }
        double gain = gain(leftSum, i, sum - leftSum, n - i, sum, n);
        if (best == null || gain > best.gain()) {
          double mid = below + (above - below) / 2;
          // Between two adjacent doubles the midpoint rounds onto one of them.
          best = new Split(gain, f, mid < above ? mid : below, null);
        }
      }
      return best;
    }

    Split categoricalSplit(int[] rows, int f, double sum) {
      int k = categories[f];
      double[] catSum = new double[k];
      int[] catCount = new int[k];
      for (int r : rows) {
        int c = (int) x[r][f];
        catSum[c] += y[r];
        catCount[c]++;
      }
      Integer[] present =
          IntStream.range(0, k).filter(c -> catCount[c] > 0).boxed().toArray(Integer[]::new);
      Arrays.sort(present, Comparator.comparingDouble(c -> catSum[c] / catCount[c]));
      int n = rows.length;
      double leftSum = 0;
      int leftCount = 0;
      int bestCut = -1;
      double bestGain = 0;
      for (int i = 1; i < present.length; i++) {
        leftSum += catSum[present[i - 1]];
        leftCount += catCount[present[i - 1]];
        if (leftCount < settings.minSamplesLeaf() || n - leftCount < settings.minSamplesLeaf()) {
          continue;
        }
        double gain = gain(leftSum, leftCount, sum - leftSum, n - leftCount, sum, n);
        if (bestCut < 0 || gain > bestGain) {
          bestCut = i;
          bestGain = gain;
        }
      }
      if (bestCut < 0) {
        return null;
      }
      boolean[] goesLeft = new boolean[k];
      int leftRows = 0;
      for (int i = 0; i < bestCut; i++) {
        goesLeft[present[i]] = true;
        leftRows += catCount[present[i]];
      }
      if (leftRows > n - leftRows) {
        for (int c = 0; c < k; c++) {
          goesLeft[c] |= catCount[c] == 0;
        }
      }
      return new Split(bestGain, f, Double.NaN, goesLeft);
    }

    /** Reduction of the sum of squared errors when one node becomes two. */
    static double gain(double sumL, int nL, double sumR, int nR, double sum, int n) {
      return sumL * sumL / nL + sumR * sumR / nR - sum * sum / n;
    }

    int[][] partition(int[] rows, Split split) {
      int[] l = new int[rows.length];
      int[] r = new int[rows.length];
      int nl = 0;
      int nr = 0;
      for (int row : rows) {
        double v = x[row][split.feature()];
        boolean goesLeft =
            split.leftCategories() == null
                ? v <= split.threshold()
                : split.leftCategories()[(int) v];
        if (goesLeft) {
          l[nl++] = row;
        } else {
          r[nr++] = row;
        }
      }
      return new int[][] {Arrays.copyOf(l, nl), Arrays.copyOf(r, nr)};
    }
  }
}
