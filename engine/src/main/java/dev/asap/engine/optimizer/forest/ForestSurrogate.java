package dev.asap.engine.optimizer.forest;

import dev.asap.engine.optimizer.Observation;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Prediction;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.Parameter;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random forest fitted to a study's losses, answering in loss units and scoring candidates by
 * expected improvement.
 *
 * <p>Features: a float or integer parameter is its unit coordinate (integers at their bin centres,
 * so the order of the values is kept); a categorical parameter is its category index, split
 * natively by {@link RegressionTree}.
 *
 * <p>Losses are standardized (mean 0, standard deviation 1 over the finished trials), which changes
 * no split, since least squares is indifferent to an affine change of the target, and keeps the
 * numbers near 1. They are not log-transformed: a logarithm would reshape the trees (and might help
 * on a loss like Rosenbrock's with its long upper tail), but the engine's losses may be negative, a
 * maximized metric being negated, and the shift that would make them positive would be a guess.
 *
 * <p>Running trials enter as constant liars: the forest is fitted on the finished trials, each
 * running configuration is added with the loss that forest predicts for it, and the forest is grown
 * again on the new bootstrap draws. The lie adds no improvement, and with leaves of several rows it
 * narrows the spread at the running configuration only partly and not always (on Branin after
 * twelve random trials the standard deviation there fell in 32 of 40 draws, by a fifth on average);
 * what guarantees that parallel slots get distinct work is that tried configurations are never
 * proposed.
 */
final class ForestSurrogate {
  private final SearchSpace space;
  private final RegressionForest forest;
  private final double shift;
  private final double scale;
  private final double best;

  private ForestSurrogate(
      SearchSpace space, RegressionForest forest, double shift, double scale, double best) {
    this.space = space;
    this.forest = forest;
    this.shift = shift;
    this.scale = scale;
    this.best = best;
  }

  /** Fits the forest to the finished trials of {@code state} and lies for its running ones. */
  static ForestSurrogate fit(
      OptimizationState state, ForestSettings settings, SplittableRandom rng) {
    SearchSpace space = state.space();
    int[] categories = categoriesOf(space);
    List<Observation> observations = state.observations();
    int n = observations.size();
    double[][] x = new double[n][];
    double[] raw = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = features(space, observations.get(i).configuration());
      raw[i] = observations.get(i).loss();
    }
    double shift = mean(raw);
    double sd = Math.sqrt(Math.max(0, mean(squares(raw)) - shift * shift));
    double scale = sd > 0 ? sd : 1;
    double[] y = new double[n];
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      y[i] = (raw[i] - shift) / scale;
      best = Math.min(best, y[i]);
    }
    var forest = RegressionForest.fit(x, y, categories, settings, rng);

    var observedKeys = new HashSet<String>();
    observations.forEach(o -> observedKeys.add(o.configuration().key()));
    var liarX = new ArrayList<double[]>(List.of(x));
    var liarY = new ArrayList<Double>();
    for (double v : y) {
      liarY.add(v);
    }
    for (Configuration c : state.pending()) {
      if (observedKeys.add(c.key())) {
        double[] f = features(space, c);
        liarX.add(f);
        liarY.add(forest.predict(f)[0]);
      }
    }
    if (liarX.size() > n) {
      forest =
          RegressionForest.fit(
              liarX.toArray(double[][]::new),
              liarY.stream().mapToDouble(Double::doubleValue).toArray(),
              categories,
              settings,
              rng);
    }
    return new ForestSurrogate(space, forest, shift, scale, best);
  }

  /** The forest's mean and standard deviation at {@code c}, in loss units. */
  Prediction predict(Configuration c) {
    double[] p = forest.predict(features(space, c));
    return new Prediction(shift + scale * p[0], scale * Math.sqrt(p[1]));
  }

  /**
   * How much a candidate is worth trying: higher log expected improvement first, and among equals
   * (typically candidates that cannot improve at all) the lower predicted mean.
   */
  record Score(double logEi, double mean) implements Comparable<Score> {
    @Override
    public int compareTo(Score o) {
      int byEi = Double.compare(logEi, o.logEi);
      return byEi != 0 ? byEi : Double.compare(o.mean, mean);
    }
  }

  /** The acquisition value at a feature vector (see {@link #features}). */
  Score score(double[] features) {
    double[] p = forest.predict(features);
    return new Score(LogExpectedImprovement.of(p[0], Math.sqrt(p[1]), best), p[0]);
  }

  static int[] categoriesOf(SearchSpace space) {
    List<Parameter> ps = space.parameters();
    int[] k = new int[ps.size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = ps.get(i) instanceof CategoricalParameter cp ? cp.values().size() : 0;
    }
    return k;
  }

  /** The features of a configuration. */
  static double[] features(SearchSpace space, Configuration c) {
    List<Parameter> ps = space.parameters();
    double[] f = new double[ps.size()];
    for (int i = 0; i < f.length; i++) {
      Parameter p = ps.get(i);
      Object v = c.get(p.name());
      f[i] = p instanceof CategoricalParameter cp ? cp.indexOf(v) : p.toUnit(v);
    }
    return f;
  }

  /**
   * The features of the configuration at a point of the unit cube whose discrete coordinates sit at
   * their bin centres, without building the configuration; equal to {@link #features(SearchSpace,
   * Configuration)} of that configuration up to the rounding of a float's unit coordinate.
   */
  static double[] unitFeatures(SearchSpace space, double[] snapped) {
    List<Parameter> ps = space.parameters();
    double[] f = snapped.clone();
    for (int i = 0; i < f.length; i++) {
      if (ps.get(i) instanceof CategoricalParameter cp) {
        int k = cp.values().size();
        f[i] = Math.min(k - 1, (int) Math.floor(snapped[i] * k));
      }
    }
    return f;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s / v.length;
  }

  private static double[] squares(double[] v) {
    double[] s = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      s[i] = v[i] * v[i];
    }
    return s;
  }
}
