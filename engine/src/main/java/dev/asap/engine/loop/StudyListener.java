package dev.asap.engine.loop;

import dev.asap.engine.history.TrialRecord;
import java.util.List;

/** Follows a study as it runs, for progress output; called from the study loop's thread. */
public interface StudyListener {

  /** The study resumed with these trials already recorded (interrupted ones included). */
  default void resumed(List<TrialRecord> earlier) {}

  /**
   * A trial is about to start: it has its number, configuration and source, and the executor has
   * not been asked to run it yet. A listener that keeps trials durably elsewhere (the operator's
   * HpoTrial records) writes the intent here, so that no work ever runs without a record of it. An
   * exception thrown here ends the study with that error; the trial is not started.
   */
  default void trialLaunching(TrialRecord pending) {}

  /** A trial started. */
  default void trialStarted(TrialRecord trial) {}

  /**
   * A trial ended.
   *
   * @param best the best completed trial so far (possibly {@code trial}), or {@code null}
   */
  default void trialEnded(TrialRecord trial, TrialRecord best) {}

  /** The study stopped. */
  default void finished(StudyResult result) {}
}
