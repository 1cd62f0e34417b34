package dev.asap.engine.execution;

import java.time.Instant;

/**
 * One metric value reported by a running trial.
 *
 * @param name the metric's name
 * @param value the value as reported; may be NaN or infinite (the study loop decides what that
 *     means)
 * @param step the training step or epoch it belongs to, or {@code null}
 * @param at when ASAP received it
 */
public record MetricReport(String name, double value, Long step, Instant at) {}
