package dev.asap.engine.optimizer.forest;

import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.Prediction;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.SearchSpace;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * SMAC-style Bayesian optimization with a random forest surrogate: the pool member for spaces with
 * categorical and integer parameters and for losses with jumps, where a Gaussian process fits
 * badly.
 *
 * <p>Until {@code max(5, d + 1)} trials have finished it proposes random configurations. After that
 * every fifth proposal (counted by the trials in the state, finished, running and failed) is still
 * random, as in SMAC, so that a surrogate that is confidently wrong cannot hold the search in one
 * region; the others maximize expected improvement under the forest ({@link AcquisitionSearch}). A
 * proposal is never a configuration the state lists as tried, unless the whole space has been
 * tried.
 *
 * <p>Every random choice in a call is drawn from a generator seeded by the optimizer's seed and the
 * number of trials in the state, so a proposal is a function of the seed and the state: {@link
 * #predict} and the proposal's own prediction come from the same forest.
 */
public final class RandomForestOptimizer implements Optimizer {
  /** Every this-many-th proposal after start-up is drawn at random. */
  static final int RANDOM_INTERLEAVE = 5;

  /** How many draws a random proposal takes to avoid configurations already tried. */
  private final long seed;

  private final ForestSettings settings;
  private OptimizationState fittedState;
  private ForestSurrogate fitted;

  public RandomForestOptimizer(long seed) {
    this(seed, ForestSettings.DEFAULT);
  }

  RandomForestOptimizer(long seed, ForestSettings settings) {
    this.seed = seed;
    this.settings = settings;
  }

  @Override
  public String name() {
    return "forest";
  }

  @Override
  public Proposal propose(OptimizationState state) {
    int trials = state.observations().size() + state.pending().size() + state.failed().size();
    var rng = new SplittableRandom(mix(seed ^ 0x5DEECE66DL, trials));
    Set<String> tried = state.triedKeys();
    if (state.observations().size() < startupTrials(state.space())) {
      return new Proposal(state.space().sampleUntried(tried, rng), name(), null);
    }
    ForestSurrogate model = model(state);
    Configuration c = null;
    if (trials % RANDOM_INTERLEAVE != RANDOM_INTERLEAVE - 1) {
      c = AcquisitionSearch.maximize(model, state, rng);
    }
    if (c == null) {
      c = state.space().sampleUntried(tried, rng);
    }
    return new Proposal(c, name(), model.predict(c));
  }

  @Override
  public Optional<Prediction> predict(OptimizationState state, Configuration configuration) {
    if (state.observations().size() < startupTrials(state.space())) {
      return Optional.empty();
    }
    return Optional.of(model(state).predict(configuration));
  }

  /** Finished trials needed before the forest is trusted: {@code max(5, d + 1)}. */
  static int startupTrials(SearchSpace space) {
    return Math.max(5, space.dimension() + 1);
  }

  private ForestSurrogate model(OptimizationState state) {
    if (!state.equals(fittedState)) {
      int trials = state.observations().size() + state.pending().size() + state.failed().size();
      fitted = ForestSurrogate.fit(state, settings, new SplittableRandom(mix(seed, trials)));
      fittedState = state;
    }
    return fitted;
  }

  private static long mix(long seed, int trials) {
    long z = seed + 0x9E3779B97F4A7C15L * (trials + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A copy: this optimizer draws its randomness from the seed and the state, so only the fitted
   * model (immutable, shared) is carried over.
   */
  @Override
  public RandomForestOptimizer copy() {
    var copy = new RandomForestOptimizer(seed, settings);
    copy.fittedState = fittedState;
    copy.fitted = fitted;
    return copy;
  }
}
