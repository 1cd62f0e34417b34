package dev.asap.engine.history;

/** Where a trial stands. Every state but {@link #RUNNING} is final. */
public enum TrialState {
  /** Started and not yet ended. */
  RUNNING,
  /** Ended with a finite objective value. */
  COMPLETED,
  /** Ended without a usable objective: non-zero exit, timeout, no report, NaN or infinity. */
  FAILED,
  /** Stopped by the study (target reached, timeout) before it ended; not counted as failed. */
  STOPPED,
  /** Was running when the study's process died; found so on resume. */
  INTERRUPTED;

  public boolean terminal() {
    return this != RUNNING;
  }
}
