package dev.asap.engine.speculation;

/** What became of a speculative proposal. */
public enum SpeculationVerdict {
  /** The real value passed the accept test; the speculative proposal ran. */
  ACCEPTED,
  /** The real value failed the accept test; the proposal was recomputed from the real history. */
  REJECTED,
  /**
   * The speculative proposal could not be used: another slot started the same configuration
   * meanwhile, or the speculative work failed; recomputed.
   */
  STALE,
  /**
   * The subject ended before the speculation had even predicted its value (the background was busy
   * with earlier work); recomputed, since waiting would take longer than a round.
   */
  LATE,
  /** The subject produced no objective value (it failed or was stopped); nothing to test. */
  NO_VALUE
}
