package dev.asap.engine.optimizer;

/**
 * Uniform random search on the unit cube. Its bias is having none: it is the baseline every other
 * pool member must beat, and a source of diversity the integrator can fall back on.
 */
public final class RandomSearch implements Optimizer {
  private final SeededRandom rng;

  public RandomSearch(long seed) {
    this.rng = new SeededRandom(seed);
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public Proposal propose(OptimizationState state) {
    return new Proposal(state.space().sampleUntried(state.triedKeys(), rng), name(), null);
  }

  private RandomSearch(SeededRandom rng) {
    this.rng = rng;
  }

  @Override
  public RandomSearch copy() {
    return new RandomSearch(rng.copy());
  }
}
