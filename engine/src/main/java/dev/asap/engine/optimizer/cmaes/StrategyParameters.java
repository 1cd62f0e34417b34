package dev.asap.engine.optimizer.cmaes;

/**
 * The constants of one CMA-ES run, derived from the dimension and the population size by the usual
 * default formulas, so that nothing here needs tuning per problem.
 *
 * @param dimension number of coordinates
 * @param lambda population size: solutions told per generation
 * @param mu number of best solutions that are recombined, {@code lambda / 2}
 * @param weights positive recombination weights of the {@code mu} best, decreasing, summing to 1
 * @param muEff variance-effective selection mass, {@code 1 / sum(w_i^2)}
 * @param cc learning rate of the evolution path for the rank-one update
 * @param cs learning rate of the evolution path for step-size control
 * @param c1 learning rate of the rank-one covariance update
 * @param cmu learning rate of the rank-mu covariance update
 * @param damps damping of the step-size change
 * @param chiN expected length of a standard normal vector in {@code dimension} coordinates
 */
record StrategyParameters(
    int dimension,
    int lambda,
    int mu,
    double[] weights,
    double muEff,
    double cc,
    double cs,
    double c1,
    double cmu,
    double damps,
    double chiN) {

  /** The default population size, {@code 4 + floor(3 ln d)}. */
  static int defaultLambda(int dimension) {
    return 4 + (int) Math.floor(3 * Math.log(dimension));
  }

  static StrategyParameters of(int n, int lambda) {
    if (n < 1 || lambda < 2) {
      throw new IllegalArgumentException(
          "CMA-ES needs a dimension >= 1 and lambda >= 2, got " + n + " and " + lambda);
    }
    int mu = lambda / 2;
    double[] w = new double[mu];
    double sum = 0;
    for (int i = 0; i < mu; i++) {
      w[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
      sum += w[i];
    }
    double sumSquares = 0;
    for (int i = 0; i < mu; i++) {
      w[i] /= sum;
      sumSquares += w[i] * w[i];
    }
    double muEff = 1 / sumSquares;
    double cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
    double cs = (muEff + 2) / (n + muEff + 5);
    double c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff);
    double cmu = Math.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff));
    double damps = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cs;
    double chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
    return new StrategyParameters(n, lambda, mu, w, muEff, cc, cs, c1, cmu, damps, chiN);
  }
}
