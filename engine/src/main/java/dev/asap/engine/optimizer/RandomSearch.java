package dev.asap.engine.optimizer;

import dev.asap.engine.space.Configuration;
import java.util.SplittableRandom;

/**
 * Uniform random search on the unit cube. Its bias is having none: it is the baseline every other
 * pool member must beat, and a source of diversity the integrator can fall back on.
 */
public final class RandomSearch implements Optimizer {
  /** How many draws to try before giving up on avoiding a configuration already tried. */
  static final int MAX_DRAWS = 256;

  private final SplittableRandom rng;

  public RandomSearch(long seed) {
    this.rng = new SplittableRandom(seed);
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public Proposal propose(OptimizationState state) {
    var tried = state.triedKeys();
    Configuration c = state.space().sample(rng);
    for (int i = 1; i < MAX_DRAWS && tried.contains(c.key()); i++) {
      c = state.space().sample(rng);
    }
    return new Proposal(c, name(), null);
  }
}
