package dev.asap.engine.speculation;

import java.time.Instant;
import java.util.Map;

/** Execution log entries built by hand, with only what the Self-Tuner reads filled in. */
final class LogEntries {
  private LogEntries() {}

  /** A speculation with relative error {@code error} whose counterfactual has gap {@code gap}. */
  static ExecutionLogEntry entry(Double error, Double gap) {
    return withoutCounterfactual(error)
        .withCounterfactual(
            new ExecutionLogEntry.Counterfactual(Map.of("x", 0.5), 0.1, 1.0, 1.0, gap));
  }

  /** A speculation with relative error {@code error} whose counterfactual could not be computed. */
  static ExecutionLogEntry withoutCounterfactual(Double error) {
    return new ExecutionLogEntry(
        "study",
        0,
        Instant.parse("2026-12-04T12:00:00Z"),
        1.0,
        null,
        1.0,
        error,
        0.1,
        1e-6,
        error != null && error <= 0.1 ? SpeculationVerdict.ACCEPTED : SpeculationVerdict.REJECTED,
        "tpe",
        Map.of("x", 0.4),
        5,
        0,
        0,
        5,
        null);
  }
}
