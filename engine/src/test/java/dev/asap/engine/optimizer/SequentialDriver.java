package dev.asap.engine.optimizer;

import dev.asap.engine.space.Configuration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Drives one optimizer alone on a test function, one evaluation at a time, the way the study loop
 * would with parallelism 1. A proposal that repeats an earlier configuration uses up its evaluation
 * without being evaluated, so an optimizer that repeats itself is penalised rather than silently
 * helped.
 */
public final class SequentialDriver {
  private SequentialDriver() {}

  /** Result of one run. */
  public record Run(double best, int duplicates, List<Double> losses) {}

  public static Run run(Optimizer optimizer, TestFunction f, int budget) {
    var observations = new ArrayList<Observation>();
    var seen = new HashSet<String>();
    var losses = new ArrayList<Double>();
    int duplicates = 0;
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < budget; i++) {
      var state = new OptimizationState(f.space(), observations, List.of(), List.of());
      Configuration c = optimizer.propose(state).configuration();
      if (!seen.add(c.key())) {
        duplicates++;
        continue;
      }
      double y = f.evaluate(c);
      observations.add(new Observation(c, y));
      losses.add(y);
      best = Math.min(best, y);
    }
    return new Run(best, duplicates, losses);
  }

  /** The median, over {@code seeds}, of the best value found by a fresh optimizer per seed. */
  public static double medianBest(
      LongFunction<Optimizer> factory, TestFunction f, int budget, long... seeds) {
    double[] bests = new double[seeds.length];
    for (int i = 0; i < seeds.length; i++) {
      bests[i] = run(factory.apply(seeds[i]), f, budget).best();
    }
    Arrays.sort(bests);
    int n = bests.length;
    return n % 2 == 1 ? bests[n / 2] : (bests[n / 2 - 1] + bests[n / 2]) / 2;
  }
}
