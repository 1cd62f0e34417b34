package dev.asap.engine.optimizer.forest;

import dev.asap.engine.optimizer.Observation;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.forest.ForestSurrogate.Score;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.Parameter;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Finds the untried configuration with the highest expected improvement under a forest, the way
 * SMAC does: a forest's prediction is piecewise constant, so gradients are useless and the search
 * combines random candidates with a hill climb from the best configurations seen.
 *
 * <p>{@value #RANDOM_CANDIDATES} uniform random points are scored first; climbs then start from the
 * {@value #OBSERVED_STARTS} best finished configurations and the {@value #RANDOM_STARTS} best
 * random points. Every point scored, start, step or neighbour, competes for the answer if it is
 * untried.
 *
 * <p>The climb moves in the one-exchange neighbourhood: change one parameter at a time. A float
 * steps by a Gaussian of standard deviation {@value #STEP_SD} in unit space, truncated to the cube;
 * an integer moves to either adjacent value or takes one such Gaussian step (so that fine integer
 * grids still allow long moves); a categorical takes up to {@value #CATEGORICAL_NEIGHBOURS} other
 * values at random. Each climb takes the best neighbour while it improves, for at most {@value
 * #MAX_STEPS} steps. A space of at most {@value #ENUMERATION_LIMIT} configurations is instead
 * scored in full.
 */
final class AcquisitionSearch {
  static final int RANDOM_CANDIDATES = 500;
  static final int OBSERVED_STARTS = 10;
  static final int RANDOM_STARTS = 5;
  static final int MAX_STEPS = 30;
  static final double STEP_SD = 0.2;
  static final int FLOAT_NEIGHBOURS = 4;
  static final int CATEGORICAL_NEIGHBOURS = 4;
  static final long ENUMERATION_LIMIT = SearchSpace.ENUMERATION_LIMIT;

  /** A point of the unit cube with its discrete coordinates at bin centres, and its score. */
  private record Candidate(double[] unit, Score score) {}

  private final ForestSurrogate model;
  private final SearchSpace space;
  private final List<Parameter> parameters;
  private final Set<String> tried;
  private final SplittableRandom rng;
  private Candidate best;
  private Configuration bestConfiguration;

  private AcquisitionSearch(
      ForestSurrogate model, SearchSpace space, Set<String> tried, SplittableRandom rng) {
    this.model = model;
    this.space = space;
    this.parameters = space.parameters();
    this.tried = tried;
    this.rng = rng;
  }

  /** The best untried configuration found, or {@code null} when every one found was tried. */
  static Configuration maximize(
      ForestSurrogate model, OptimizationState state, SplittableRandom rng) {
    var search = new AcquisitionSearch(model, state.space(), state.triedKeys(), rng);
    if (state.space().size() <= ENUMERATION_LIMIT) {
      state.space().configurations().forEach(c -> search.score(state.space().toUnit(c)));
    } else {
      search.climbFromCandidates(state.observations());
    }
    return search.bestConfiguration;
  }

  private void climbFromCandidates(List<Observation> observations) {
    var randoms = new ArrayList<Candidate>();
    for (int i = 0; i < RANDOM_CANDIDATES; i++) {
      double[] u = new double[parameters.size()];
      for (int j = 0; j < u.length; j++) {
        u[j] = rng.nextDouble();
      }
      randoms.add(score(snap(u)));
    }
    randoms.sort(Comparator.comparing(Candidate::score).reversed());
    var starts = new ArrayList<double[]>();
    var startKeys = new HashSet<String>();
    observations.stream()
        .sorted(Comparator.comparingDouble(Observation::loss))
        .map(Observation::configuration)
        .filter(c -> startKeys.add(c.key()))
        .limit(OBSERVED_STARTS)
        .forEach(c -> starts.add(space.toUnit(c)));
    randoms.stream().limit(RANDOM_STARTS).map(Candidate::unit).forEach(starts::add);
    for (double[] start : starts) {
      climb(start);
    }
  }

  private void climb(double[] start) {
    Candidate current = score(start);
    for (int step = 0; step < MAX_STEPS; step++) {
      Candidate next = null;
      for (double[] n : neighbours(current.unit())) {
        Candidate c = score(n);
        if (next == null || c.score().compareTo(next.score()) > 0) {
          next = c;
        }
      }
      if (next == null || next.score().compareTo(current.score()) <= 0) {
        return;
      }
      current = next;
    }
  }

  /** Scores a snapped point and remembers it if it is the best untried configuration so far. */
  private Candidate score(double[] unit) {
    var candidate = new Candidate(unit, model.score(ForestSurrogate.unitFeatures(space, unit)));
    if (best == null || candidate.score().compareTo(best.score()) > 0) {
      // Decoding is the costly part, so only a new leader is checked against the tried keys.
      Configuration c = space.fromUnit(unit);
      if (!tried.contains(c.key())) {
        best = candidate;
        bestConfiguration = c;
      }
    }
    return candidate;
  }

  /**
   * Moves every discrete coordinate to the centre of its bin, so one configuration has one point.
   */
  private double[] snap(double[] u) {
    for (int i = 0; i < u.length; i++) {
      Parameter p = parameters.get(i);
      u[i] = p instanceof FloatParameter ? Parameter.clampUnit(u[i]) : p.toUnit(p.fromUnit(u[i]));
    }
    return u;
  }

  private List<double[]> neighbours(double[] u) {
    var out = new ArrayList<double[]>();
    for (int i = 0; i < u.length; i++) {
      Parameter p = parameters.get(i);
      if (p instanceof FloatParameter) {
        for (int k = 0; k < FLOAT_NEIGHBOURS; k++) {
          out.add(with(u, i, gaussianStep(u[i])));
        }
      } else if (p instanceof IntParameter ip) {
        long v = (Long) ip.fromUnit(u[i]);
        if (v - ip.step() >= ip.min()) {
          out.add(with(u, i, ip.toUnit(v - ip.step())));
        }
        if (v + ip.step() <= ip.top()) {
          out.add(with(u, i, ip.toUnit(v + ip.step())));
        }
        out.add(with(u, i, ip.toUnit(ip.fromUnit(gaussianStep(u[i])))));
      } else if (p instanceof CategoricalParameter cp) {
        var others = new ArrayList<>(cp.values());
        others.remove(cp.fromUnit(u[i]));
        for (int k = 0; k < CATEGORICAL_NEIGHBOURS && !others.isEmpty(); k++) {
          out.add(with(u, i, cp.toUnit(others.remove(rng.nextInt(others.size())))));
        }
      }
    }
    out.removeIf(n -> Arrays.equals(n, u));
    return out;
  }

  /** A Gaussian step from {@code u}, redrawn a few times to stay in [0, 1], then clamped. */
  private double gaussianStep(double u) {
    double v = u + STEP_SD * rng.nextGaussian();
    for (int tries = 0; tries < 8 && (v < 0 || v > 1); tries++) {
      v = u + STEP_SD * rng.nextGaussian();
    }
    return Parameter.clampUnit(v);
  }

  private static double[] with(double[] u, int i, double value) {
    double[] v = u.clone();
    v[i] = value;
    return v;
  }
}
