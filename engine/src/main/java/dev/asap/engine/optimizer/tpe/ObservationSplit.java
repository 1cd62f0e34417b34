package dev.asap.engine.optimizer.tpe;

import dev.asap.engine.optimizer.Observation;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.space.Configuration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The observations divided into the good ones, whose density TPE raises, and the bad ones, whose
 * density it lowers, as unit-cube points.
 *
 * @param good the points of the lowest losses
 * @param bad every other point, with the running and failed configurations
 */
record ObservationSplit(List<double[]> good, List<double[]> bad) {

  /** Most good points ever kept, so that l(x) keeps tracking the best region in long studies. */
  static final int MAX_GOOD = 25;

  /**
   * How many of {@code n} observations count as good: the best tenth, rounded up, at most {@link
   * #MAX_GOOD}. A tenth keeps l(x) focused on the best region; rounding up makes one point good as
   * soon as there is one.
   */
  static int goodCount(int n) {
    return Math.min((n + 9) / 10, MAX_GOOD);
  }

  /**
   * Splits {@code state}'s observations by loss, ties in completion order. Running configurations
   * go to the bad side as if they had the worst loss (a constant liar), so that the next parallel
   * slot is steered away from them; failed ones go there too, since a region that crashes is not
   * one to seek.
   */
  static ObservationSplit of(OptimizationState state) {
    var space = state.space();
    List<Observation> ranked = new ArrayList<>(state.observations());
    ranked.sort(Comparator.comparingDouble(Observation::loss));
    int k = goodCount(ranked.size());
    var good = new ArrayList<double[]>(k);
    var bad = new ArrayList<double[]>();
    for (int i = 0; i < ranked.size(); i++) {
      (i < k ? good : bad).add(space.toUnit(ranked.get(i).configuration()));
    }
    for (Configuration c : state.pending()) {
      bad.add(space.toUnit(c));
    }
    for (Configuration c : state.failed()) {
      bad.add(space.toUnit(c));
    }
    return new ObservationSplit(List.copyOf(good), List.copyOf(bad));
  }
}
