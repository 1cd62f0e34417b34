package dev.asap.engine.optimizer.tpe;

import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.Prediction;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.optimizer.SeededRandom;
import dev.asap.engine.space.Configuration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * Multivariate Tree-structured Parzen Estimator: models where good configurations lie rather than
 * the loss itself, which makes it cheap, indifferent to the loss's scale and natural on integer and
 * categorical parameters.
 *
 * <p>Each proposal splits the observations into good and bad ({@link ObservationSplit}), fits a
 * Parzen estimator l(x) to the good points and g(x) to the bad ones, draws {@link #CANDIDATES}
 * candidates from l and keeps the one with the largest {@code log l(x) - log g(x)}: the point most
 * likely to be among the good ones, relative to how often bad points land there. Until {@link
 * #STARTUP_TRIALS} observations exist it proposes uniform random points, since a density of a
 * handful of points says nothing yet.
 *
 * <p>It has no regression model of the loss, so its proposals carry no prediction and {@link
 * #predict} is empty: the density ratio ranks candidates but does not say what loss to expect.
 */
public final class TpeOptimizer implements Optimizer {
  static final int STARTUP_TRIALS = 10;

  /** Draws from l(x) per proposal; more sharpens exploitation, fewer keeps l's spread. */
  static final int CANDIDATES = 24;

  private final SeededRandom rng;

  public TpeOptimizer(long seed) {
    this.rng = new SeededRandom(seed);
  }

  @Override
  public String name() {
    return "tpe";
  }

  @Override
  public Proposal propose(OptimizationState state) {
    Set<String> tried = state.triedKeys();
    if (state.observations().size() < STARTUP_TRIALS) {
      return new Proposal(state.space().sampleUntried(tried, rng), name(), null);
    }
    var split = ObservationSplit.of(state);
    var good = ParzenEstimator.fit(state.space(), split.good());
    var bad = ParzenEstimator.fit(state.space(), split.bad());

    var candidates = new Candidate[CANDIDATES];
    for (int i = 0; i < CANDIDATES; i++) {
      Configuration c = state.space().fromUnit(good.sample(rng));
      double[] u = state.space().toUnit(c);
      candidates[i] = new Candidate(c, good.logDensity(u) - bad.logDensity(u));
    }
    // A stable sort keeps the earlier draw on ties, so the choice depends on the seed alone.
    Arrays.sort(candidates, Comparator.comparingDouble(Candidate::score).reversed());
    for (Candidate c : candidates) {
      if (!tried.contains(c.configuration().key())) {
        return new Proposal(c.configuration(), name(), null);
      }
    }
    return new Proposal(state.space().sampleUntried(tried, rng), name(), null);
  }

  /**
   * Always empty: TPE estimates densities of good and bad configurations, not the loss, so it has
   * no predicted mean or spread to offer.
   */
  @Override
  public Optional<Prediction> predict(OptimizationState state, Configuration configuration) {
    return Optional.empty();
  }

  private record Candidate(Configuration configuration, double score) {}

  private TpeOptimizer(SeededRandom rng) {
    this.rng = rng;
  }

  @Override
  public TpeOptimizer copy() {
    return new TpeOptimizer(rng.copy());
  }
}
