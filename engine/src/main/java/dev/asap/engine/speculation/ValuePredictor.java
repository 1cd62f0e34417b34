package dev.asap.engine.speculation;

import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.Prediction;
import dev.asap.engine.space.Configuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Predicts the loss a running trial will report, so that the next proposal can be computed before
 * it has.
 */
@FunctionalInterface
public interface ValuePredictor {

  /**
   * The predicted loss at {@code configuration}, given {@code state}, using the surrogate models of
   * {@code pool}'s members; empty when none can predict yet.
   */
  Optional<Prediction> predict(
      List<Optimizer> pool, OptimizationState state, Configuration configuration);

  /**
   * The pool's surrogates together, as an equal-weight mixture: the mean of the members' means, and
   * a variance that adds the members' mean variance to the spread of their means, so that members
   * that disagree widen the uncertainty. Members without a model (random search, Sobol, TPE,
   * CMA-ES) take no part; a member whose prediction fails or is not finite is left out.
   */
  static ValuePredictor pooled() {
    return (pool, state, configuration) -> {
      var predictions = new ArrayList<Prediction>();
      for (Optimizer member : pool) {
        try {
          member
              .predict(state, configuration)
              .filter(p -> Double.isFinite(p.mean()) && Double.isFinite(p.stddev()))
              .ifPresent(predictions::add);
        } catch (RuntimeException e) {
          // A member that cannot predict simply does not contribute.
        }
      }
      if (predictions.isEmpty()) {
        return Optional.empty();
      }
      double mean = predictions.stream().mapToDouble(Prediction::mean).average().orElseThrow();
      double withinVariance =
          predictions.stream().mapToDouble(p -> p.stddev() * p.stddev()).average().orElseThrow();
      double betweenVariance =
          predictions.stream()
              .mapToDouble(p -> (p.mean() - mean) * (p.mean() - mean))
              .average()
              .orElseThrow();
      return Optional.of(new Prediction(mean, Math.sqrt(withinVariance + betweenVariance)));
    };
  }
}
