package dev.asap.engine.simulation;

import dev.asap.engine.optimizer.Observation;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.Prediction;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.speculation.ValuePredictor;
import java.util.List;
import java.util.Optional;

/**
 * A predictor that is wrong on purpose, for the speculation benchmark's worst case: it mirrors the
 * pool's prediction about the mean of the observed losses, so that a configuration the surrogates
 * expect to be good is predicted bad and the other way round. Its errors are systematic, not noise:
 * on a function whose values sit far from zero they stay small relative to the values, so an accept
 * threshold that looks strict still lets them through, and only the counterfactuals show the harm.
 */
public final class WrongPredictor implements ValuePredictor {
  private final ValuePredictor pooled = ValuePredictor.pooled();

  @Override
  public Optional<Prediction> predict(
      List<Optimizer> pool, OptimizationState state, Configuration configuration) {
    double mean =
        state.observations().stream().mapToDouble(Observation::loss).average().orElse(Double.NaN);
    if (Double.isNaN(mean)) {
      return Optional.empty();
    }
    return pooled
        .predict(pool, state, configuration)
        .map(p -> new Prediction(2 * mean - p.mean(), p.stddev()));
  }
}
