package dev.asap.engine.history;

import dev.asap.engine.speculation.SpeculationVerdict;

/**
 * The speculation that preceded a round, kept with the trial the round started: whether the trial
 * runs a proposal computed ahead from a predicted value, and what that cost or saved.
 *
 * @param subject the trial whose value was predicted; its end freed the slot this trial took
 * @param predicted the predicted objective value
 * @param actual the value the subject reported, or {@code null} when it reported none
 * @param relativeError the accept test's relative error, or {@code null}
 * @param tau the threshold the test used
 * @param verdict {@link SpeculationVerdict#ACCEPTED} when this trial runs the speculative proposal
 * @param computeMillis what the speculative work cost (prediction, proposals and choice)
 * @param hiddenMillis the part of it that ran while the subject was still running, off the critical
 *     path (0 unless accepted)
 * @param wastedMillis the part thrown away (0 when accepted)
 */
public record SpeculationRecord(
    int subject,
    double predicted,
    Double actual,
    Double relativeError,
    double tau,
    SpeculationVerdict verdict,
    long computeMillis,
    long hiddenMillis,
    long wastedMillis) {

  /** Whether the trial runs the speculative proposal. */
  public boolean accepted() {
    return verdict == SpeculationVerdict.ACCEPTED;
  }
}
