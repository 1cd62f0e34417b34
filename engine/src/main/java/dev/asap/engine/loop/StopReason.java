package dev.asap.engine.loop;

/** Why a study stopped. */
public enum StopReason {
  /** {@code budget.maxTrials} trials ended. */
  MAX_TRIALS,
  /** A trial reached {@code objective.target}. */
  TARGET_REACHED,
  /** {@code budget.timeout} passed. */
  TIMEOUT,
  /** More than {@code budget.maxFailedTrials} trials failed. */
  TOO_MANY_FAILURES,
  /** Every configuration of a finite search space has been tried. */
  SEARCH_SPACE_EXHAUSTED,
  /** The process was asked to stop (Ctrl-C); the study can be resumed. */
  INTERRUPTED
}
