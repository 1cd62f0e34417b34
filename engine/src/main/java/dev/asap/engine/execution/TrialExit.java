package dev.asap.engine.execution;

/**
 * How a trial's process or Job ended, before the study loop looks at its metrics.
 *
 * @param kind the way it ended
 * @param exitCode the process's exit code, or {@code null} when it has none
 * @param detail a human-readable explanation, for the trial's failure reason
 */
public record TrialExit(Kind kind, Integer exitCode, String detail) {
  public TrialExit {
    if (detail == null && kind == Kind.EXITED) {
      detail = exitCode == null ? "ended" : "exited with code " + exitCode;
    }
  }

  /** The ways a trial can end. */
  public enum Kind {
    /** The process ran to its end, with {@link #exitCode()}. */
    EXITED,
    /** The trial ran past its time limit and was stopped. */
    TIMED_OUT,
    /** The study stopped it (study ended, cancelled, or shut down). */
    STOPPED,
    /** It could not be started at all (no such program, bad working directory...). */
    FAILED_TO_START
  }

  public boolean succeeded() {
    return kind == Kind.EXITED && exitCode != null && exitCode == 0;
  }
}
