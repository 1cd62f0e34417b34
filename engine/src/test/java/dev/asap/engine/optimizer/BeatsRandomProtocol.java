package dev.asap.engine.optimizer;

/**
 * The fixed protocol by which every pool member is compared with random search: the same test
 * functions, budgets and seeds for all, so that the figures in the tests can be compared.
 */
public final class BeatsRandomProtocol {
  private BeatsRandomProtocol() {}

  /** Seeds over which the median best value is taken. */
  public static final long[] SEEDS = {1, 2, 3, 4, 5};

  public static final int BRANIN_BUDGET = 40;
  public static final int HARTMANN6_BUDGET = 80;
  public static final int ROSENBROCK4_BUDGET = 80;

  /** Median best value of random search under this protocol; see {@code RandomSearchTest}. */
  public static final double RANDOM_BRANIN = 1.1978539263154335;

  public static final double RANDOM_HARTMANN6 = -1.8416233379327969;
  public static final double RANDOM_ROSENBROCK4 = 66.72138128038344;
}
