package dev.asap.engine.loop;

import dev.asap.engine.history.TrialRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The outcome of running a study (this run and every earlier run it resumed).
 *
 * @param study the study's name
 * @param stopReason why it stopped
 * @param detail one sentence on the stop, for people
 * @param trials every trial, in number order
 * @param best the completed trial with the best objective, or {@code null} when none completed
 * @param elapsed wall-clock time of this run
 * @param chosenBySource how many trials each pool member's proposals supplied, in pool order
 * @param wallClock where the study's time went, over every run
 */
public record StudyResult(
    String study,
    StopReason stopReason,
    String detail,
    List<TrialRecord> trials,
    TrialRecord best,
    Duration elapsed,
    Map<String, Long> chosenBySource,
    WallClock wallClock) {

  public StudyResult {
    wallClock = wallClock == null ? WallClock.of(trials, List.of()) : wallClock;
  }

  /** A result whose wall-clock accounting comes from the trials alone (no speculation log). */
  public StudyResult(
      String study,
      StopReason stopReason,
      String detail,
      List<TrialRecord> trials,
      TrialRecord best,
      Duration elapsed,
      Map<String, Long> chosenBySource) {
    this(study, stopReason, detail, trials, best, elapsed, chosenBySource, null);
  }
}
