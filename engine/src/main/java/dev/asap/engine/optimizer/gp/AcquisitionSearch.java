package dev.asap.engine.optimizer.gp;

import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.util.FastMath;

/**
 * Maximizes log expected improvement over the search space: scores a set of candidate points, then
 * refines the best few by bounded quasi-Newton ascent along their float coordinates. Every point is
 * snapped to a valid configuration before it is scored.
 */
final class AcquisitionSearch {
  private final FeatureSpace features;
  private final SearchSpace space;
  private final GaussianProcess process;
  private final double incumbent;

  /**
   * @param incumbent the best observed loss in the process's standardized units
   */
  AcquisitionSearch(FeatureSpace features, GaussianProcess process, double incumbent) {
    this.features = features;
    this.space = features.space();
    this.process = process;
    this.incumbent = incumbent;
  }

  private record Scored(Configuration configuration, double score) {}

  /**
   * The distinct configurations reached from {@code points} (unit-cube coordinates) and from
   * refining the {@code refine} best of them, best first.
   */
  List<Configuration> ranked(List<double[]> points, int refine, int iterations) {
    Map<String, Scored> byKey = new HashMap<>();
    var scored = new ArrayList<Scored>();
    for (double[] u : points) {
      Configuration c = space.fromUnit(u);
      if (!byKey.containsKey(c.key())) {
        var s = new Scored(c, score(c));
        byKey.put(c.key(), s);
        scored.add(s);
      }
    }
    Comparator<Scored> bestFirst = Comparator.comparingDouble(s -> -s.score());
    scored.sort(bestFirst);
    var starts = List.copyOf(scored.subList(0, Math.min(refine, scored.size())));
    for (Scored start : starts) {
      Configuration c = refine(space.toUnit(start.configuration()), iterations);
      if (c != null && !byKey.containsKey(c.key())) {
        var s = new Scored(c, score(c));
        byKey.put(c.key(), s);
        scored.add(s);
      }
    }
    scored.sort(bestFirst);
    return scored.stream().map(Scored::configuration).toList();
  }

  /** Log expected improvement at a configuration; never NaN. */
  double score(Configuration c) {
    GaussianProcess.Posterior p = process.posterior(features.encode(c));
    double s = LogExpectedImprovement.of(p.mean(), Math.sqrt(p.variance()), incumbent);
    return Double.isNaN(s) ? Double.NEGATIVE_INFINITY : s;
  }

  /**
   * Climbs the acquisition from {@code start} along the float coordinates, the discrete ones held
   * on their values; null when the space has no float parameter.
   */
  private Configuration refine(double[] start, int iterations) {
    int[] parameters = features.continuousParameters();
    int m = parameters.length;
    if (m == 0) {
      return null;
    }
    int[] columns = new int[m];
    double[] v0 = new double[m];
    for (int i = 0; i < m; i++) {
      columns[i] = features.firstColumn(parameters[i]);
      v0[i] = start[parameters[i]];
    }
    double[] meanSlope = new double[m];
    double[] varianceSlope = new double[m];
    ProjectedLbfgs.Objective negativeLogEi =
        (v, gradient) -> {
          double[] u = start.clone();
          for (int i = 0; i < m; i++) {
            u[parameters[i]] = v[i];
          }
          double[] x = features.encode(space.fromUnit(u));
          var p = process.posterior(x, columns, meanSlope, varianceSlope);
          double sigma = Math.sqrt(p.variance());
          double z = (incumbent - p.mean()) / sigma;
          double slope = LogExpectedImprovement.logHSlope(z);
          for (int i = 0; i < m; i++) {
            double dSigma = varianceSlope[i] / (2 * sigma);
            double dz = (-meanSlope[i] - z * dSigma) / sigma;
            gradient[i] = -(dSigma / sigma + slope * dz);
          }
          return -(FastMath.log(sigma) + LogExpectedImprovement.logH(z));
        };
    double[] lower = new double[m];
    double[] upper = new double[m];
    Arrays.fill(upper, 1);
    var minimum = ProjectedLbfgs.minimize(negativeLogEi, v0, lower, upper, iterations);
    double[] u = start.clone();
    for (int i = 0; i < m; i++) {
      u[parameters[i]] = minimum.point()[i];
    }
    return space.fromUnit(u);
  }
}
