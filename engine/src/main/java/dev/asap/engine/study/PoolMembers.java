package dev.asap.engine.study;

import java.util.List;

/**
 * The names a study document may use for optimizers in its pool and for the integrator that picks
 * among their proposals. The reader checks documents against these lists; the factory that builds
 * the members switches on the same constants, so a name cannot be accepted here and unknown there.
 */
public final class PoolMembers {
  public static final String RANDOM = "random";
  public static final String SOBOL = "sobol";
  public static final String TPE = "tpe";
  public static final String GP = "gp";
  public static final String CMAES = "cmaes";
  public static final String FOREST = "forest";

  /** Every optimizer a pool may hold, in the order a study gets them by default. */
  public static final List<String> OPTIMIZERS = List.of(RANDOM, SOBOL, TPE, GP, CMAES, FOREST);

  public static final String BANDIT = "bandit";
  public static final String LLM = "llm";

  /** Every integrator a study may name; the first is the default. */
  public static final List<String> INTEGRATORS = List.of(BANDIT, LLM);

  private PoolMembers() {}
}
