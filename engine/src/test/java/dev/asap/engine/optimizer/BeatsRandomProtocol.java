package dev.asap.engine.optimizer;

/**
 * The fixed protocol by which every pool member is compared with random search: the same test
 * functions, budgets and seeds for all, so that the figures in the tests can be compared.
 */
public final class BeatsRandomProtocol {
  private BeatsRandomProtocol() {}

  /**
   * Seeds over which the median best value is taken. Five seeds proved too noisy: random search's
   * median on Branin over seeds 1-5 was 1.198, a lucky draw against its 1.273 over 300 seeds
   * (1000-1299), which put CMA-ES (0.975 over those 300 seeds) and Sobol (1.254) behind it. Eleven
   * seeds are the smallest odd count above five at which the medians agree in direction with the
   * 300-seed ones; Sobol's lead on Branin stays slim (1.254 against 1.273).
   */
  public static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

  public static final int BRANIN_BUDGET = 40;
  public static final int HARTMANN6_BUDGET = 80;
  public static final int ROSENBROCK4_BUDGET = 80;

  /** Median best value of random search under this protocol; see {@code RandomSearchTest}. */
  public static final double RANDOM_BRANIN = 1.4612728960382206;

  public static final double RANDOM_HARTMANN6 = -1.7110112469386787;
  public static final double RANDOM_ROSENBROCK4 = 54.742603321858084;
}
