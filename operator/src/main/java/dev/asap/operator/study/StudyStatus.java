package dev.asap.operator.study;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.loop.StopReason;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.loop.WallClock;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.SpeculationVerdict;
import dev.asap.engine.study.Direction;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoStudyStatus;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.api.HpoTrialStatus;
import dev.asap.operator.trial.TrialRecords;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/** Computes a study's status from its HpoTrial records and its loop. */
final class StudyStatus {
  static final String PENDING = "Pending";
  static final String RUNNING = "Running";
  static final String SUCCEEDED = "Succeeded";
  static final String FAILED = "Failed";
  static final String INVALID = "Invalid";

  static final String READY = "Ready";
  static final String INVALID_CONDITION = "Invalid";
  static final String FAILED_CONDITION = "Failed";

  private StudyStatus() {}

  /** Whether {@code phase} is one a study does not leave unless its spec changes. */
  static boolean terminal(String phase) {
    return SUCCEEDED.equals(phase) || FAILED.equals(phase);
  }

  /** Whether {@code trial} is still running, as its record says. */
  static boolean running(HpoTrial trial) {
    return trial.getStatus() == null
        || trial.getStatus().phase == null
        || HpoTrialStatus.RUNNING.equals(trial.getStatus().phase);
  }

  /** The status of a study whose loop failed: what it had, with {@code Ready=False} and why. */
  static HpoStudyStatus failing(HpoStudy study, String message) {
    HpoStudyStatus status = copyCounts(study.getStatus());
    status.phase = study.getStatus() == null ? PENDING : study.getStatus().phase;
    status.observedGeneration = study.getMetadata().getGeneration();
    List<Condition> previous = previous(study);
    status.conditions.add(condition(previous, READY, "False", "StudyError", message, study));
    status.conditions.add(
        condition(previous, INVALID_CONDITION, "False", "ValidSpec", "the spec is valid", study));
    return status;
  }

  /** The status of a study whose spec is invalid: what it had, plus the condition. */
  static HpoStudyStatus invalid(HpoStudy study, String message) {
    HpoStudyStatus status = copyCounts(study.getStatus());
    status.phase = INVALID;
    status.observedGeneration = study.getMetadata().getGeneration();
    List<Condition> previous = previous(study);
    status.conditions.add(condition(previous, READY, "False", "InvalidSpec", message, study));
    status.conditions.add(
        condition(previous, INVALID_CONDITION, "True", "InvalidSpec", message, study));
    return status;
  }

  /** The status of a valid study, from its trials and, when it runs here, its loop. */
  static HpoStudyStatus of(
      HpoStudy study,
      Collection<HpoTrial> trials,
      StudyRuntime runtime,
      Direction direction,
      String fingerprint,
      String loopFailure) {
    var status = new HpoStudyStatus();
    status.fingerprint = fingerprint;
    status.observedGeneration = study.getMetadata().getGeneration();
    var records = new ArrayList<TrialRecord>();
    var entries = new ArrayList<ExecutionLogEntry>();
    var counts = new HpoStudyStatus.TrialCounts();
    var sources = new TreeMap<String, Long>();
    HpoTrial best = null;
    for (HpoTrial t : trials) {
      if (t.getSpec() == null
          || t.getSpec().number == null
          || !TrialRecords.ownedBy(t, study.getMetadata().getUid())) {
        continue;
      }
      records.add(TrialRecords.toRecord(t));
      entries.addAll(TrialRecords.speculations(t));
      counts.total++;
      String phase = t.getStatus() == null ? HpoTrialStatus.RUNNING : t.getStatus().phase;
      switch (phase == null ? HpoTrialStatus.RUNNING : phase) {
        case HpoTrialStatus.COMPLETED -> counts.completed++;
        case HpoTrialStatus.FAILED -> counts.failed++;
        case HpoTrialStatus.RUNNING -> counts.running++;
        default -> counts.stopped++;
      }
      if (t.getSpec().source != null) {
        sources.merge(t.getSpec().source, 1L, Long::sum);
      }
      if (HpoTrialStatus.COMPLETED.equals(phase)
          && t.getStatus().objective != null
          && (best == null
              || direction.better(t.getStatus().objective, best.getStatus().objective))) {
        best = t;
      }
    }
    status.trials = counts;
    status.sources = sources.isEmpty() ? null : sources;
    if (best != null) {
      var b = new HpoStudyStatus.Best();
      b.trial = best.getSpec().number;
      b.value = best.getStatus().objective;
      b.parameters = best.getSpec().parameters;
      status.best = b;
    }
    records.sort(Comparator.comparingInt(TrialRecord::number));
    WallClock clock = WallClock.of(records, entries);
    status.wallClock = wallClock(clock);
    if (!entries.isEmpty()) {
      var s = new HpoStudyStatus.SpeculationFigures();
      s.accepted = clock.speculations().get(SpeculationVerdict.ACCEPTED);
      s.rejected = clock.speculations().get(SpeculationVerdict.REJECTED);
      s.stale = clock.speculations().get(SpeculationVerdict.STALE);
      s.late = clock.speculations().get(SpeculationVerdict.LATE);
      s.noValue = clock.speculations().get(SpeculationVerdict.NO_VALUE);
      status.speculation = s;
    }

    List<Condition> previous = previous(study);
    StudyResult result = runtime == null ? null : runtime.result();
    String previousPhase = study.getStatus() == null ? null : study.getStatus().phase;
    if (result != null && result.stopReason() != StopReason.INTERRUPTED) {
      boolean failed = result.stopReason() == StopReason.TOO_MANY_FAILURES;
      status.phase = failed ? FAILED : SUCCEEDED;
      status.stopReason = result.detail();
    } else if (runtime == null && terminal(previousPhase)) {
      status.phase = previousPhase;
      status.stopReason = study.getStatus().stopReason;
    } else {
      status.phase = counts.total == 0 ? PENDING : RUNNING;
    }
    boolean failed = FAILED.equals(status.phase);
    if (loopFailure != null && !terminal(status.phase)) {
      // The loop failed and is started again with backoff: say why until it runs a trial.
      status.conditions.add(condition(previous, READY, "False", "StudyError", loopFailure, study));
    } else {
      status.conditions.add(
          condition(
              previous,
              READY,
              failed ? "False" : "True",
              switch (status.phase) {
                case SUCCEEDED -> "Succeeded";
                case FAILED -> "TooManyFailures";
                default -> "Running";
              },
              status.stopReason == null ? "trials run as Jobs" : status.stopReason,
              study));
    }
    status.conditions.add(
        condition(previous, INVALID_CONDITION, "False", "ValidSpec", "the spec is valid", study));
    if (failed) {
      status.conditions.add(
          condition(
              previous, FAILED_CONDITION, "True", "TooManyFailures", status.stopReason, study));
    }
    return status;
  }

  private static HpoStudyStatus.WallClockFigures wallClock(WallClock c) {
    var w = new HpoStudyStatus.WallClockFigures();
    w.evaluationSeconds = seconds(c.evaluation());
    w.serialOverheadSeconds = seconds(c.serialOverhead());
    w.optimizerSeconds = seconds(c.optimizer());
    w.llmSeconds = seconds(c.llm());
    w.hiddenSeconds = seconds(c.hidden());
    w.wastedSeconds = seconds(c.wasted());
    return w;
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static HpoStudyStatus copyCounts(HpoStudyStatus old) {
    var status = new HpoStudyStatus();
    if (old != null) {
      status.trials = old.trials;
      status.best = old.best;
      status.speculation = old.speculation;
      status.wallClock = old.wallClock;
      status.sources = old.sources;
      status.stopReason = old.stopReason;
      status.fingerprint = old.fingerprint;
    }
    return status;
  }

  private static List<Condition> previous(HpoStudy study) {
    return study.getStatus() == null || study.getStatus().conditions == null
        ? List.of()
        : study.getStatus().conditions;
  }

  /**
   * A condition that keeps its {@code lastTransitionTime} while its status stays the same, so that
   * kubectl tells how long a study has been in its state.
   */
  private static Condition condition(
      List<Condition> previous,
      String type,
      String value,
      String reason,
      String message,
      HpoStudy study) {
    String since = Instant.now().toString();
    for (Condition c : previous) {
      if (type.equals(c.getType()) && value.equals(c.getStatus())) {
        since = c.getLastTransitionTime();
      }
    }
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(study.getMetadata().getGeneration())
        .withLastTransitionTime(since)
        .build();
  }
}
