package dev.asap.engine.optimizer.cmaes;

import dev.asap.engine.optimizer.Observation;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.optimizer.SeededRandom;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CMA-ES in ask-and-tell form on the unit cube of the search space, with IPOP restarts: a
 * covariance-learning evolution strategy that does well on continuous, ill-conditioned and
 * non-separable losses, where a model-free local search is what the pool lacks.
 *
 * <p><b>Learning from every trial.</b> The engine asks every pool member each round but runs only
 * the one proposal its integrator picks, so most of this optimizer's samples are never evaluated.
 * Were it to learn only from its own samples it would hardly ever complete a generation. Instead
 * each observation that is new since the last call (the list only grows, so a counter suffices) is
 * told to the current generation, whoever proposed it, and the distribution is updated as soon as
 * {@code lambda} solutions have been told. A point this distribution did not draw in the current
 * generation (another member's proposal, a fallback point, or its own sample from an earlier
 * generation that finished late) is injected the way Hansen proposed for external solutions: its
 * step from the mean is shortened to a Mahalanobis length of at most {@code sqrt(d) + 2d/(d+2)}, so
 * a far-away alien point cannot blow up the step size or the covariance. Its own samples of the
 * current generation are told unclipped, at the continuous point it drew rather than the decoded
 * configuration, so rounding to bins does not bias the update.
 *
 * <p><b>Asking.</b> Each call draws the next sample of the current generation from {@code N(m,
 * sigma^2 C)}. A sample outside {@code [0,1]^d} is redrawn a few times and then repaired by
 * clipping onto the cube; the repaired point is the one remembered and told. A sample whose
 * configuration was already tried or is pending is redrawn a few times, after which a uniformly
 * random untried point is proposed instead; this keeps parallel slots distinct. The first run
 * starts at the centre of the cube, or at the best observation when the optimizer joins a study
 * that already has results, with {@code sigma0 = 0.3}.
 *
 * <p><b>Restarts.</b> After an update the run is restarted with twice the population (IPOP) from a
 * uniformly random mean, {@code sigma0} and {@code C = I} when any of these holds: the largest
 * standard deviation of the distribution fell below {@value #TOL_X} (the step size collapsed); the
 * condition number of {@code C} exceeds {@value #MAX_CONDITION} (the covariance degenerated); or
 * the best loss of the run has not improved for {@code 10 + ceil(30 d / lambda)} generations (the
 * fitness stagnates, which includes a flat loss). Solutions told to the unfinished generation are
 * dropped at a restart.
 *
 * <p><b>Known shortcomings.</b> Integer and categorical parameters are searched through the bins
 * that {@link SearchSpace#fromUnit} decodes: CMA-ES sees a plateau per bin and imposes an order on
 * categories that have none, which makes it weak on categorical spaces. It keeps no surrogate
 * model, so its proposals carry no prediction.
 */
public final class CmaEsOptimizer implements Optimizer {
  /** Initial step size, as a fraction of the unit cube's side. */
  static final double SIGMA0 = 0.3;

  /** Largest standard deviation below which the step size counts as collapsed. */
  static final double TOL_X = 1e-7;

  /** Condition number of {@code C} above which the run restarts. */
  static final double MAX_CONDITION = 1e14;

  /** Draws of a sample before it is repaired onto the cube. */
  static final int BOUND_DRAWS = 10;

  /** Draws of a sample before giving up on an untried configuration from the distribution. */
  static final int UNTRIED_DRAWS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(CmaEsOptimizer.class);

  private final SeededRandom rng;
  private SearchSpace space;
  private SearchDistribution distribution;
  private int absorbed;
  private int restarts;
  private final List<SearchDistribution.Step> told = new ArrayList<>();
  private final Map<String, double[]> drawn = new HashMap<>();
  private double runBest;
  private int generationsWithoutImprovement;

  public CmaEsOptimizer(long seed) {
    this.rng = new SeededRandom(seed);
  }

  private CmaEsOptimizer(CmaEsOptimizer from) {
    this.rng = from.rng.copy();
    this.space = from.space;
    this.distribution = from.distribution == null ? null : from.distribution.copy();
    this.absorbed = from.absorbed;
    this.restarts = from.restarts;
    from.told.forEach(t -> this.told.add(new SearchDistribution.Step(t.y().clone(), t.loss())));
    from.drawn.forEach((key, x) -> this.drawn.put(key, x.clone()));
    this.runBest = from.runBest;
    this.generationsWithoutImprovement = from.generationsWithoutImprovement;
  }

  /** A deep copy: distribution, generation in progress and generator. */
  @Override
  public CmaEsOptimizer copy() {
    return new CmaEsOptimizer(this);
  }

  @Override
  public String name() {
    return "cmaes";
  }

  @Override
  public Proposal propose(OptimizationState state) {
    if (space == null) {
      start(state);
    } else if (!space.parameters().equals(state.space().parameters())) {
      throw new IllegalStateException("the search space changed under a CMA-ES run");
    }
    absorb(state.observations());
    return new Proposal(ask(state.triedKeys()), name(), null);
  }

  /** The current population size. */
  int populationSize() {
    return distribution.parameters().lambda();
  }

  /** Number of restarts so far. */
  int restarts() {
    return restarts;
  }

  /** The mean of the current distribution, on the unit cube. */
  double[] mean() {
    return distribution.mean();
  }

  /** The step size of the current distribution. */
  double sigma() {
    return distribution.sigma();
  }

  private void start(OptimizationState state) {
    space = state.space();
    int d = space.dimension();
    double[] centre = new double[d];
    Arrays.fill(centre, 0.5);
    double[] m =
        state.observations().stream()
            .min(Comparator.comparingDouble(Observation::loss))
            .map(o -> space.toUnit(o.configuration()))
            .orElse(centre);
    beginRun(StrategyParameters.defaultLambda(d), m);
  }

  private void beginRun(int lambda, double[] m) {
    distribution =
        new SearchDistribution(StrategyParameters.of(space.dimension(), lambda), m, SIGMA0);
    told.clear();
    drawn.clear();
    runBest = Double.POSITIVE_INFINITY;
    generationsWithoutImprovement = 0;
  }

  private void absorb(List<Observation> observations) {
    for (; absorbed < observations.size(); absorbed++) {
      Observation o = observations.get(absorbed);
      double[] own = drawn.remove(o.configuration().key());
      double[] y =
          own != null
              ? distribution.stepTo(own, false)
              : distribution.stepTo(space.toUnit(o.configuration()), true);
      told.add(new SearchDistribution.Step(y, o.loss()));
      if (told.size() == populationSize()) {
        endGeneration();
      }
    }
  }

  private void endGeneration() {
    double best = told.stream().mapToDouble(SearchDistribution.Step::loss).min().orElseThrow();
    distribution.update(told);
    // Wider than the cube, most samples would fall outside it and be clipped onto its faces.
    distribution.capLargestStdDev(1.0);
    told.clear();
    drawn.clear();
    if (best < runBest) {
      runBest = best;
      generationsWithoutImprovement = 0;
    } else {
      generationsWithoutImprovement++;
    }
    String reason = restartReason();
    if (reason != null) {
      int lambda = 2 * populationSize();
      restarts++;
      LOG.debug("CMA-ES restart {} with lambda {}: {}", restarts, lambda, reason);
      double[] m = new double[space.dimension()];
      for (int i = 0; i < m.length; i++) {
        m[i] = rng.nextDouble();
      }
      beginRun(lambda, m);
    }
  }

  private String restartReason() {
    if (distribution.largestStdDev() < TOL_X) {
      return "step size collapsed";
    }
    if (distribution.conditionNumber() > MAX_CONDITION) {
      return "covariance condition number exploded";
    }
    int d = space.dimension();
    int patience = 10 + (int) Math.ceil(30.0 * d / populationSize());
    if (generationsWithoutImprovement >= patience) {
      return "no improvement in " + patience + " generations";
    }
    return null;
  }

  private Configuration ask(Set<String> tried) {
    for (int i = 0; i < UNTRIED_DRAWS; i++) {
      double[] x = sampleInCube();
      Configuration c = space.fromUnit(x);
      if (!tried.contains(c.key())) {
        drawn.put(c.key(), x);
        return c;
      }
    }
    return space.sampleUntried(tried, rng);
  }

  private double[] sampleInCube() {
    double[] x = distribution.sample(rng);
    for (int i = 1; i < BOUND_DRAWS && !inCube(x); i++) {
      x = distribution.sample(rng);
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.min(1.0, Math.max(0.0, x[i]));
    }
    return x;
  }

  private static boolean inCube(double[] x) {
    for (double v : x) {
      if (v < 0 || v > 1) {
        return false;
      }
    }
    return true;
  }
}
