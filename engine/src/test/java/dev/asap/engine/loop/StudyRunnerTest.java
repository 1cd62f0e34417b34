package dev.asap.engine.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.history.StudyJournal;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.optimizer.OptimizerPool;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.SearchSpace;
import dev.asap.engine.study.Budget;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.MetricsCollector;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudySpec;
import dev.asap.engine.study.TrialTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyRunnerTest {
  @TempDir Path state;

  static Study study(SearchSpace space, Objective objective, Budget budget) {
    var template = JsonNodeFactory.instance.objectNode();
    template.putObject("spec").putArray("containers").addObject().put("name", "trainer");
    var spec =
        new StudySpec(
            objective,
            space,
            budget,
            List.of("random"),
            IntegratorSpec.bandit(),
            new TrialTemplate(template, null, MetricsCollector.stdout()),
            7);
    return new Study("unit", null, spec, Path.of("."));
  }

  static SearchSpace square() {
    return new SearchSpace(
        List.of(new FloatParameter("x", 0, 1, false), new FloatParameter("y", 0, 1, false)));
  }

  static Objective minimizeLoss(Double target) {
    return new Objective("loss", Direction.MINIMIZE, target, List.of());
  }

  private StudyRunner runner(Study study, FunctionExecutor executor) {
    return runner(study, executor, new StudyListener() {});
  }

  private StudyRunner runner(Study study, FunctionExecutor executor, StudyListener listener) {
    return new StudyRunner(
        study,
        executor,
        state,
        listener,
        round -> OptimizerPool.create(List.of("random"), study.spec().seed(), round),
        new dev.asap.engine.integrator.SourceBandit(),
        java.time.Clock.systemUTC());
  }

  /** A trial an earlier run completed: x = i/10, y = 0.5. */
  private static TrialRecord completedEarlier(int i, double loss) {
    var at = Instant.parse("2026-12-04T10:00:00Z");
    return new TrialRecord(
        i,
        Map.of("x", 0.1 * i, "y", 0.5),
        "random",
        null,
        TrialState.COMPLETED,
        at,
        at,
        at,
        loss,
        Map.of("loss", loss),
        null,
        "fn:" + i,
        null);
  }

  private static double bowl(dev.asap.engine.space.Configuration c) {
    double x = (Double) c.get("x") - 0.3;
    double y = (Double) c.get("y") - 0.6;
    return x * x + y * y;
  }

  @Test
  void runsExactlyMaxTrialsDistinctTrialsInParallel() {
    var study = study(square(), minimizeLoss(null), new Budget(12, 3, 3, null, null));
    var executor = new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", bowl(c)));

    StudyResult result = runner(study, executor).run();

    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_TRIALS);
    assertThat(result.trials()).hasSize(12);
    assertThat(result.trials()).allMatch(t -> t.state() == TrialState.COMPLETED);
    assertThat(new HashSet<>(result.trials().stream().map(TrialRecord::parameters).toList()))
        .hasSize(12);
    double best = result.trials().stream().mapToDouble(TrialRecord::objective).min().orElseThrow();
    assertThat(result.best().objective()).isEqualTo(best);
    assertThat(result.chosenBySource()).containsEntry("random", 12L);
  }

  @Test
  void stopsWhenTheTargetIsReachedAndStopsTheTrialsStillRunning() {
    var study = study(square(), minimizeLoss(0.5), new Budget(20, 3, 2, null, null));
    var executor = new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 0.1), true);
    var runner = runner(study, executor);
    // Trial 0 ends (reaching the target) while trial 1 is still held running.
    new Thread(
            () -> {
              org.awaitility.Awaitility.await().until(() -> executor.gates.size() == 2);
              executor.release(0);
            })
        .start();

    StudyResult result = runner.run();

    assertThat(result.stopReason()).isEqualTo(StopReason.TARGET_REACHED);
    assertThat(result.detail()).isEqualTo("trial 0 reached the target loss 0.5");
    assertThat(result.trials())
        .extracting(TrialRecord::state)
        .containsExactly(TrialState.COMPLETED, TrialState.STOPPED);
    assertThat(result.trials().get(1).reason())
        .isEqualTo("the study stopped: trial 0 reached the target loss 0.5");
  }

  @Test
  void aTrialKilledByTheSameCtrlCAsTheStudyIsInterruptedNotFailed() {
    var study = study(square(), minimizeLoss(null), new Budget(10, 0, 1, null, null));
    var runner = new java.util.concurrent.atomic.AtomicReference<StudyRunner>();
    // The trial dies of SIGINT (exit code 130) first; the study's shutdown hook asks it to stop a
    // moment later, as when Ctrl-C reaches a whole process group.
    var executor =
        new FunctionExecutor(
            c -> {
              new Thread(
                      () -> {
                        org.awaitility.Awaitility.await()
                            .pollDelay(java.time.Duration.ofMillis(200))
                            .until(() -> true);
                        runner.get().requestInterrupt();
                      })
                  .start();
              return new FunctionExecutor.Outcome(
                  Map.of(), new TrialExit(TrialExit.Kind.EXITED, 130, null));
            });
    runner.set(runner(study, executor));

    StudyResult result = runner.get().run();

    assertThat(result.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(result.trials())
        .extracting(TrialRecord::state)
        .containsExactly(TrialState.INTERRUPTED);
    assertThat(result.trials().get(0).reason())
        .isEqualTo("interrupted with the study: exited with code 130");
  }

  @Test
  void aTrialThatExitsWithCode143WhileTheStudyGoesOnHasFailed() {
    var study = study(square(), minimizeLoss(null), new Budget(1, 0, 1, null, null));
    var executor =
        new FunctionExecutor(
            c ->
                new FunctionExecutor.Outcome(
                    Map.of(), new TrialExit(TrialExit.Kind.EXITED, 143, null)));

    StudyResult result = runner(study, executor).run();

    assertThat(result.trials()).extracting(TrialRecord::state).containsExactly(TrialState.FAILED);
    // This executor keeps no log file, so the reason points at none.
    assertThat(result.trials().get(0).reason()).isEqualTo("exited with code 143");
  }

  @Test
  void aFailedTrialsReasonPointsAtTheLogItsExecutorKept() {
    var study = study(square(), minimizeLoss(null), new Budget(1, 5, 1, null, null));
    Path log = state.toAbsolutePath().resolve("unit/trials/trial-0000.log");
    var executor =
        new FunctionExecutor(
            c -> {
              try {
                java.nio.file.Files.createDirectories(log.getParent());
                java.nio.file.Files.writeString(log, "Traceback...\n");
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              return new FunctionExecutor.Outcome(
                  Map.of(), new TrialExit(TrialExit.Kind.EXITED, 3, null));
            });

    StudyResult result = runner(study, executor).run();

    assertThat(result.trials().get(0).reason()).isEqualTo("exited with code 3 (log: " + log + ")");
  }

  @Test
  void recordsEachKindOfFailureWithItsReasonAndStopsPastTheFailureBudget() {
    var study = study(square(), minimizeLoss(null), new Budget(10, 2, 1, null, null));
    var outcomes =
        List.of(
            new FunctionExecutor.Outcome(
                Map.of("loss", 1.0), new TrialExit(TrialExit.Kind.EXITED, 3, null)),
            new FunctionExecutor.Outcome(
                Map.of("other", 1.0), new TrialExit(TrialExit.Kind.EXITED, 0, null)),
            new FunctionExecutor.Outcome(
                Map.of("loss", Double.NaN), new TrialExit(TrialExit.Kind.EXITED, 0, null)));
    var count = new java.util.concurrent.atomic.AtomicInteger();
    var executor = new FunctionExecutor(c -> outcomes.get(count.getAndIncrement()));

    StudyResult result = runner(study, executor).run();

    assertThat(result.stopReason()).isEqualTo(StopReason.TOO_MANY_FAILURES);
    assertThat(result.detail())
        .isEqualTo(
            "3 trials failed, more than maxFailedTrials (2); see the trial logs in "
                + state.toAbsolutePath().resolve("unit/trials")
                + ", then raise budget.maxFailedTrials to go on");
    assertThat(result.trials())
        .extracting(TrialRecord::reason)
        .containsExactly(
            "exited with code 3",
            "ended without reporting the objective metric loss",
            "reported a non-finite loss (NaN)");
    assertThat(result.best()).isNull();
  }

  @Test
  void stopsWhenEveryConfigurationOfAFiniteSpaceWasTried() {
    var space =
        new SearchSpace(
            List.of(
                new IntParameter("n", 1, 3, 1, false),
                new CategoricalParameter("kind", List.of("a", "b"))));
    var study = study(space, minimizeLoss(null), new Budget(50, 3, 2, null, null));
    var executor =
        new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", (Long) c.get("n")));

    StudyResult result = runner(study, executor).run();

    assertThat(result.stopReason()).isEqualTo(StopReason.SEARCH_SPACE_EXHAUSTED);
    assertThat(result.trials()).hasSize(6);
    assertThat(result.best().objective()).isEqualTo(1.0);
  }

  @Test
  void resumesAfterACrashWithoutLosingOrRepeatingTrials() throws Exception {
    var study = study(square(), minimizeLoss(null), new Budget(6, 3, 2, null, null));
    // An earlier run died with trials 0 and 1 completed and trial 2 running.
    var folder = state.resolve("unit");
    var now = Instant.parse("2026-12-04T10:00:00Z");
    try (var journal = StudyJournal.open(folder, "unit", Fingerprint.of(study.spec()))) {
      for (int i = 0; i < 2; i++) {
        journal.append(completedEarlier(i, 0.25 + i));
      }
      journal.append(
          new TrialRecord(
              2,
              Map.of("x", 0.9, "y", 0.9),
              "random",
              null,
              TrialState.RUNNING,
              now,
              now,
              null,
              null,
              null,
              null,
              "fn:2",
              null));
    }
    var executor = new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", bowl(c)));

    StudyResult result = runner(study, executor).run();

    assertThat(executor.reclaimed).containsExactly("fn:2");
    assertThat(result.trials()).hasSize(7);
    assertThat(result.trials().get(0).objective()).isEqualTo(0.25);
    assertThat(result.trials().get(1).objective()).isEqualTo(1.25);
    assertThat(result.trials().get(2).state()).isEqualTo(TrialState.INTERRUPTED);
    assertThat(result.trials().get(2).reason())
        .isEqualTo("the study process ended while this trial was running");
    assertThat(result.trials().stream().filter(t -> t.state() == TrialState.COMPLETED)).hasSize(6);
    assertThat(executor.launches).extracting(l -> l.number()).containsExactly(3, 4, 5, 6);
    assertThat(new HashSet<>(result.trials().stream().map(TrialRecord::parameters).toList()))
        .hasSize(7);
  }

  @Test
  void announcesEachTrialBeforeTheExecutorStartsIt() {
    var study = study(square(), minimizeLoss(null), new Budget(3, 3, 1, null, null));
    var executor = new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", bowl(c)));
    var pending = new ArrayList<TrialRecord>();
    var startedBefore = new ArrayList<Integer>();
    var listener =
        new StudyListener() {
          @Override
          public void trialLaunching(TrialRecord trial) {
            pending.add(trial);
            startedBefore.add(executor.launches.size());
          }
        };

    StudyResult result = runner(study, executor, listener).run();

    assertThat(startedBefore).containsExactly(0, 1, 2);
    assertThat(pending).extracting(TrialRecord::number).containsExactly(0, 1, 2);
    for (int i = 0; i < 3; i++) {
      TrialRecord announced = pending.get(i);
      assertThat(announced.parameters())
          .isEqualTo(executor.launches.get(i).configuration().values())
          .isEqualTo(result.trials().get(i).parameters());
      assertThat(announced.source()).isEqualTo("random");
      assertThat(announced.state()).isEqualTo(TrialState.RUNNING);
      assertThat(announced.handle()).isNull();
      assertThat(announced.startedAt()).isNull();
      assertThat(announced.finishedAt()).isNull();
    }
  }

  @Test
  void aListenerThatFailsToRecordALaunchEndsTheStudyAndTheTrialNeverStarts() {
    var study = study(square(), minimizeLoss(null), new Budget(3, 3, 1, null, null));
    var executor = new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 0.5));
    var failure = new IllegalStateException("cannot create the record of trial 1");
    var listener =
        new StudyListener() {
          @Override
          public void trialLaunching(TrialRecord trial) {
            if (trial.number() == 1) {
              throw failure;
            }
          }
        };

    assertThatThrownBy(() -> runner(study, executor, listener).run()).isSameAs(failure);

    assertThat(executor.launches).extracting(l -> l.number()).containsExactly(0);
    try (var journal =
        StudyJournal.open(state.resolve("unit"), "unit", Fingerprint.of(study.spec()))) {
      assertThat(journal.trials())
          .extracting(TrialRecord::number, TrialRecord::state)
          .containsExactly(tuple(0, TrialState.COMPLETED));
    }
  }

  @Test
  void waitsForATrialTheExecutorAdoptsAndCountsItsResult() {
    var study = study(square(), minimizeLoss(null), new Budget(4, 3, 1, null, null));
    // An earlier run died with trials 0 and 1 completed and trial 2 running, and the executor can
    // take trial 2's work over.
    var now = Instant.parse("2026-12-04T10:00:00Z");
    try (var journal =
        StudyJournal.open(state.resolve("unit"), "unit", Fingerprint.of(study.spec()))) {
      for (int i = 0; i < 2; i++) {
        journal.append(completedEarlier(i, 0.25 + i));
      }
      journal.append(
          new TrialRecord(
              2,
              Map.of("x", 0.9, "y", 0.9),
              "random",
              null,
              TrialState.RUNNING,
              now,
              now,
              null,
              null,
              null,
              null,
              "fn:2",
              null));
    }
    var executor = new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 0.5));
    var adoptedExits =
        executor.adoptable(
            "fn:2", Map.of("loss", 0.04), new TrialExit(TrialExit.Kind.EXITED, 0, null));
    var released = new AtomicBoolean();
    var releasedWhenLaunching = new ArrayList<Boolean>();
    var listener =
        new StudyListener() {
          @Override
          public void trialLaunching(TrialRecord trial) {
            releasedWhenLaunching.add(released.get());
          }
        };
    new Thread(
            () -> {
              org.awaitility.Awaitility.await().until(() -> executor.adopted.size() == 1);
              released.set(true);
              adoptedExits.complete(null);
            })
        .start();

    StudyResult result = runner(study, executor, listener).run();

    assertThat(executor.adopted).containsExactly("fn:2");
    assertThat(executor.reclaimed).isEmpty();
    // With one slot, the next trial starts only once the adopted one has ended.
    assertThat(releasedWhenLaunching).containsExactly(true);
    assertThat(executor.launches).extracting(l -> l.number()).containsExactly(3);
    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_TRIALS);
    assertThat(result.trials())
        .extracting(TrialRecord::number, TrialRecord::state)
        .containsExactly(
            tuple(0, TrialState.COMPLETED),
            tuple(1, TrialState.COMPLETED),
            tuple(2, TrialState.COMPLETED),
            tuple(3, TrialState.COMPLETED));
    TrialRecord adopted = result.trials().get(2);
    assertThat(adopted.objective()).isEqualTo(0.04);
    assertThat(adopted.metrics()).isEqualTo(Map.of("loss", 0.04));
    assertThat(adopted.parameters()).isEqualTo(Map.of("x", 0.9, "y", 0.9));
    assertThat(adopted.handle()).isEqualTo("fn:2");
    assertThat(adopted.reason()).isNull();
    assertThat(result.trials().get(3).objective()).isEqualTo(0.5);
    assertThat(result.best().number()).isEqualTo(2);
  }

  @Test
  void refusesToResumeAStudyWhoseSearchSpaceChanged() {
    var before = study(square(), minimizeLoss(null), new Budget(2, 3, 1, null, null));
    runner(before, new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 1.0))).run();
    var wider =
        new SearchSpace(
            List.of(new FloatParameter("x", 0, 2, false), new FloatParameter("y", 0, 1, false)));
    var after = study(wider, minimizeLoss(null), new Budget(2, 3, 1, null, null));

    assertThatThrownBy(
            () ->
                runner(
                        after,
                        new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 1.0)))
                    .run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("with a different search space or objective");
  }

  @Test
  void dropsALineCutShortByACrash() throws Exception {
    var study = study(square(), minimizeLoss(null), new Budget(2, 3, 1, null, null));
    runner(study, new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 1.0))).run();
    Path file = state.resolve("unit").resolve("trials.jsonl");
    Files.writeString(file, "{\"type\":\"trial\",\"rec", java.nio.file.StandardOpenOption.APPEND);
    var bigger = study(square(), minimizeLoss(null), new Budget(3, 3, 1, null, null));

    StudyResult result =
        runner(bigger, new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 2.0)))
            .run();

    assertThat(result.trials()).extracting(TrialRecord::objective).containsExactly(1.0, 1.0, 2.0);
    assertThat(Files.readString(file)).endsWith("}\n");
  }

  @Test
  void theStudyTimeoutStopsRunningTrials() {
    var study =
        study(square(), minimizeLoss(null), new Budget(5, 3, 1, Duration.ofMillis(300), null));
    var executor = new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 1.0), true);

    StudyResult result = runner(study, executor).run();

    assertThat(result.stopReason()).isEqualTo(StopReason.TIMEOUT);
    assertThat(result.detail()).isEqualTo("reached the study timeout (0.3s)");
    assertThat(result.trials()).extracting(TrialRecord::state).containsExactly(TrialState.STOPPED);
  }

  @Test
  void numbersNewTrialsAfterTheHighestRecordedOneEvenWhenARecordIsMissing() {
    var study = study(square(), minimizeLoss(null), new Budget(3, 3, 1, null, null));
    try (var journal =
        StudyJournal.open(state.resolve("unit"), "unit", Fingerprint.of(study.spec()))) {
      for (int i : new int[] {0, 2}) {
        journal.append(completedEarlier(i, 1.0 + i));
      }
    }
    var executor = new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 0.5));

    StudyResult result = runner(study, executor).run();

    assertThat(executor.launches).extracting(l -> l.number()).containsExactly(3);
    assertThat(result.trials()).extracting(TrialRecord::number).containsExactly(0, 2, 3);
  }

  /** Test double of a clock that stands still until a test moves it. */
  private static final class SteppedClock extends java.time.Clock {
    private volatile Instant now = Instant.parse("2026-12-04T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /**
   * Test double of a slow integrator: picks the first candidate, and in its second round runs
   * {@code meanwhile} first, standing for what happens while a slow model thinks.
   */
  private static final class SlowIntegrator implements dev.asap.engine.integrator.Integrator {
    private final Runnable meanwhile;
    private int rounds;

    SlowIntegrator(Runnable meanwhile) {
      this.meanwhile = meanwhile;
    }

    @Override
    public String name() {
      return "slow";
    }

    @Override
    public dev.asap.engine.integrator.Selection select(
        dev.asap.engine.integrator.SelectionContext context,
        List<dev.asap.engine.optimizer.Proposal> candidates) {
      if (++rounds == 2) {
        meanwhile.run();
      }
      return dev.asap.engine.integrator.Selection.of(0);
    }
  }

  private StudyRunner slowRunner(
      Study study, FunctionExecutor executor, SlowIntegrator integrator, java.time.Clock clock) {
    return new StudyRunner(
        study,
        executor,
        state,
        new StudyListener() {},
        round -> OptimizerPool.create(List.of("random"), study.spec().seed(), round),
        integrator,
        clock);
  }

  @Test
  void aTrialThatEndedWhileASlowRoundRanPastTheTimeoutKeepsItsResultAndNoTrialStartsAfter() {
    var study =
        study(square(), minimizeLoss(null), new Budget(10, 0, 2, Duration.ofSeconds(10), null));
    var executor =
        new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 0.25), true, true);
    var clock = new SteppedClock();
    // In the second round trial 0 ends, then the round outlasts the study's timeout.
    var integrator =
        new SlowIntegrator(
            () -> {
              executor.release(0);
              clock.advance(Duration.ofSeconds(11));
            });

    StudyResult result = slowRunner(study, executor, integrator, clock).run();

    assertThat(result.stopReason()).isEqualTo(StopReason.TIMEOUT);
    assertThat(executor.launches).hasSize(1);
    assertThat(result.trials())
        .extracting(TrialRecord::state)
        .containsExactly(TrialState.COMPLETED);
    assertThat(result.trials().get(0).objective()).isEqualTo(0.25);
  }

  @Test
  void aTrialThatEndedWhileASlowRoundWasInterruptedKeepsItsResultAndNoTrialStartsAfter() {
    var study = study(square(), minimizeLoss(null), new Budget(10, 0, 2, null, null));
    var executor =
        new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", 0.25), true, true);
    var runner = new java.util.concurrent.atomic.AtomicReference<StudyRunner>();
    var integrator =
        new SlowIntegrator(
            () -> {
              executor.release(0);
              runner.get().requestInterrupt();
            });
    runner.set(slowRunner(study, executor, integrator, java.time.Clock.systemUTC()));

    StudyResult result = runner.get().run();

    assertThat(result.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(executor.launches).hasSize(1);
    assertThat(result.trials())
        .extracting(TrialRecord::state)
        .containsExactly(TrialState.COMPLETED);
    assertThat(result.trials().get(0).objective()).isEqualTo(0.25);
  }

  @Test
  void aRoundTheIntegratorCannotDecideGoesToTheBanditWithTheReasonRecorded() {
    var base = study(square(), minimizeLoss(null), new Budget(2, 0, 1, null, null));
    var spec = base.spec();
    var twoMembers =
        new StudySpec(
            spec.objective(),
            spec.searchSpace(),
            spec.budget(),
            List.of("random", "tpe"),
            spec.integrator(),
            spec.trialTemplate(),
            spec.seed());
    var study = new Study("unit", null, twoMembers, Path.of("."));
    var executor = new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", bowl(c)));
    // Round 1 takes random; round 2 throws, and the bandit then takes tpe, never tried.
    var integrator =
        new SlowIntegrator(
            () -> {
              throw new IllegalStateException("model fell over");
            });

    StudyResult result =
        new StudyRunner(
                study,
                executor,
                state,
                new StudyListener() {},
                round -> OptimizerPool.create(List.of("random", "tpe"), 7, round),
                integrator,
                java.time.Clock.systemUTC())
            .run();

    assertThat(result.trials()).extracting(TrialRecord::source).containsExactly("random", "tpe");
    assertThat(result.trials().get(1).selection().fallbackReason())
        .isEqualTo("slow failed: model fell over");
  }
}
