package dev.asap.engine.study;

import java.util.List;

/**
 * What a study optimizes.
 *
 * @param metric the name of the metric the trials report, for example {@code val_accuracy}
 * @param direction minimize or maximize
 * @param target a value that ends the study once a trial reaches it, or {@code null}
 * @param additionalMetrics further metrics to record with each trial (not optimized)
 */
public record Objective(
    String metric, Direction direction, Double target, List<String> additionalMetrics) {
  public Objective {
    additionalMetrics = additionalMetrics == null ? List.of() : List.copyOf(additionalMetrics);
  }

  /** Whether {@code value} reaches the target (never, when there is none). */
  public boolean reached(double value) {
    if (target == null || !Double.isFinite(value)) {
      return false;
    }
    return direction == Direction.MINIMIZE ? value <= target : value >= target;
  }
}
