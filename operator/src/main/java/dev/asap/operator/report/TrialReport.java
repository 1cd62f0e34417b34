package dev.asap.operator.report;

import java.time.Instant;
import java.util.Map;

/**
 * One report a trial's pod made, after its token was checked: what travels on the {@code
 * metric-reports} stream from the HTTP endpoint to the study that runs the trial.
 *
 * @param namespace the study's namespace
 * @param study the study's name
 * @param trial the trial's number
 * @param metrics the values by metric name; NaN and infinities as sent
 * @param step the training step, or {@code null}
 * @param receivedAt when the operator received it
 */
public record TrialReport(
    String namespace,
    String study,
    int trial,
    Map<String, Double> metrics,
    Long step,
    Instant receivedAt) {}
