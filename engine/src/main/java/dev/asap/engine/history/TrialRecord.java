package dev.asap.engine.history;

import java.time.Instant;
import java.util.Map;

/**
 * The durable record of one trial, as the study's journal keeps it.
 *
 * @param number the trial's number in the study, from 0, in launch order
 * @param parameters the configuration's values by name
 * @param source the pool member whose proposal ran
 * @param predictedLoss the source's predicted loss, or {@code null}
 * @param state where the trial stands
 * @param proposedAt when the proposal was chosen
 * @param startedAt when the executor started it
 * @param finishedAt when it ended, or {@code null} while running
 * @param objective the final objective value, or {@code null} unless completed
 * @param metrics the last reported value of each recorded metric
 * @param reason why it failed, was stopped or interrupted, or {@code null}
 * @param handle the executor's handle of the running work (process id, Job name)
 * @param selection how it was chosen
 */
public record TrialRecord(
    int number,
    Map<String, Object> parameters,
    String source,
    Double predictedLoss,
    TrialState state,
    Instant proposedAt,
    Instant startedAt,
    Instant finishedAt,
    Double objective,
    Map<String, Double> metrics,
    String reason,
    String handle,
    SelectionRecord selection) {

  public TrialRecord {
    parameters =
        parameters == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    metrics =
        metrics == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
  }

  /** This record, ended in {@code state} at {@code at}. */
  public TrialRecord ended(
      TrialState state, Instant at, Double objective, Map<String, Double> metrics, String reason) {
    return new TrialRecord(
        number,
        parameters,
        source,
        predictedLoss,
        state,
        proposedAt,
        startedAt,
        at,
        objective,
        metrics,
        reason,
        handle,
        selection);
  }

  /** Seconds from start to end, or {@code NaN} while running. */
  public double durationSeconds() {
    if (startedAt == null || finishedAt == null) {
      return Double.NaN;
    }
    return java.time.Duration.between(startedAt, finishedAt).toMillis() / 1000.0;
  }
}
