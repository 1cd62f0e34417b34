package dev.asap.engine.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.optimizer.Prediction;
import dev.asap.engine.simulation.BenchmarkFunction;
import dev.asap.engine.simulation.EvaluationCost;
import dev.asap.engine.simulation.LatencyModel;
import dev.asap.engine.simulation.SimulatedStudy;
import dev.asap.engine.speculation.ExecutionLog;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.SpeculationVerdict;
import dev.asap.engine.speculation.ThresholdSource;
import dev.asap.engine.speculation.TunerState;
import dev.asap.engine.speculation.ValuePredictor;
import dev.asap.engine.study.SpeculationSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speculation in the study loop, on simulated studies whose clock charges only the stated costs
 * (trials 3 s, each LLM round 2 s, optimizers nothing), so every time below is exact.
 */
class SpeculationTest {
  @TempDir Path state;

  private static final BenchmarkFunction BRANIN = BenchmarkFunction.branin();

  /** Twenty sequential Branin trials with random search and the GP in the pool. */
  private static SimulatedStudy.Settings settings(SpeculationSpec speculation) {
    return new SimulatedStudy.Settings(
        BRANIN,
        20,
        1,
        EvaluationCost.fixed(Duration.ofSeconds(3)),
        LatencyModel.fixed(Duration.ofSeconds(2)),
        List.of("random", "gp"),
        1,
        speculation,
        false);
  }

  private SimulatedStudy.Outcome run(String name, SpeculationSpec speculation) {
    return SimulatedStudy.run(name, settings(speculation), state, null, null);
  }

  private static List<Object> configurations(SimulatedStudy.Outcome o) {
    return o.result().trials().stream().map(t -> (Object) t.parameters()).toList();
  }

  @Test
  void withoutSpeculationEverySlotWaitsForTheWholeRound() {
    var o = run("off", SpeculationSpec.off());

    var clock = o.result().wallClock();
    assertThat(clock.serialOverhead()).isEqualTo(Duration.ofSeconds(38));
    assertThat(clock.evaluation()).isEqualTo(Duration.ofSeconds(60));
    assertThat(clock.llm()).isEqualTo(Duration.ofSeconds(40));
    assertThat(clock.speculationCount()).isZero();
    assertThat(o.simulatedTime()).isEqualTo(Duration.ofSeconds(100));
    assertThat(Files.exists(state.resolve("off").resolve(ExecutionLog.FILE_NAME))).isFalse();
  }

  @Test
  void tauZeroRecomputesEveryRoundAndRunsTheSameTrialsAsNoSpeculation() {
    var off = run("off", SpeculationSpec.off());
    var zero = run("zero", SpeculationSpec.fixed(0));

    assertThat(configurations(zero)).isEqualTo(configurations(off));
    var clock = zero.result().wallClock();
    assertThat(clock.serialOverhead()).isEqualTo(Duration.ofSeconds(38));
    // The GP predicts from the sixth trial on: 14 speculations, each 2 s of LLM time thrown away.
    assertThat(clock.speculations().get(SpeculationVerdict.REJECTED)).isEqualTo(14);
    assertThat(clock.accepted()).isZero();
    assertThat(clock.wasted()).isEqualTo(Duration.ofSeconds(28));
    assertThat(clock.hidden()).isZero();
    assertThat(zero.simulatedTime()).isEqualTo(Duration.ofSeconds(100));
  }

  @Test
  void anAcceptedSpeculationStartsTheNextTrialAtOnce() {
    var o = run("all", SpeculationSpec.fixed(100));

    var clock = o.result().wallClock();
    // Five refills before the GP can predict wait 2 s each; the fourteen after wait nothing.
    assertThat(clock.serialOverhead()).isEqualTo(Duration.ofSeconds(10));
    assertThat(clock.accepted()).isEqualTo(14);
    assertThat(clock.hidden()).isEqualTo(Duration.ofSeconds(28));
    assertThat(clock.wasted()).isZero();
    assertThat(clock.llm()).isEqualTo(Duration.ofSeconds(12));
    assertThat(clock.speculativeLlm()).isEqualTo(Duration.ofSeconds(28));
    assertThat(o.simulatedTime()).isEqualTo(Duration.ofSeconds(72));
    List<TrialRecord> trials = o.result().trials();
    assertThat(trials.stream().filter(t -> t.selection().speculative()).map(TrialRecord::number))
        .containsExactly(6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    assertThat(trials.get(6).selection().slotIdleMillis()).isZero();
    assertThat(trials.get(6).selection().speculation().subject()).isEqualTo(5);
    assertThat(trials.get(6).selection().speculation().actual())
        .isEqualTo(trials.get(5).objective());
  }

  @Test
  void aSpeculationSlowerThanTheTrialHoldsTheSlotOnlyForTheRest() {
    var slow =
        new SimulatedStudy.Settings(
            BRANIN,
            20,
            1,
            EvaluationCost.fixed(Duration.ofSeconds(3)),
            LatencyModel.fixed(Duration.ofSeconds(5)),
            List.of("random", "gp"),
            1,
            SpeculationSpec.fixed(100),
            false);
    var o = SimulatedStudy.run("slow", slow, state, null, null);

    var clock = o.result().wallClock();
    // Five full rounds of 5 s, then fourteen accepted ones that still need 2 s after the trial.
    assertThat(clock.serialOverhead()).isEqualTo(Duration.ofSeconds(25 + 28));
    assertThat(clock.hidden()).isEqualTo(Duration.ofSeconds(14 * 3));
    assertThat(o.result().trials().get(7).selection().slotIdleMillis()).isEqualTo(2000);
  }

  @Test
  void anExactPredictionLeavesTheCounterfactualWhereTheSpeculationWent() {
    ValuePredictor exact =
        (pool, s, configuration) -> Optional.of(new Prediction(BRANIN.value(configuration), 1));
    SimulatedStudy.run("exact", settings(SpeculationSpec.fixed(0)), state, exact, null);

    List<ExecutionLogEntry> log = ExecutionLog.read(state.resolve("exact"));
    assertThat(log).hasSize(19);
    assertThat(log).allSatisfy(e -> assertThat(e.verdict()).isEqualTo(SpeculationVerdict.ACCEPTED));
    assertThat(log).allSatisfy(e -> assertThat(e.relativeError()).isEqualTo(0.0));
    assertThat(log.subList(1, log.size()))
        .allSatisfy(
            e -> {
              assertThat(e.counterfactual().distance()).isEqualTo(0.0);
              assertThat(e.counterfactual().proposal()).isEqualTo(e.proposal());
            });
  }

  @Test
  void withExactPredictionsTheStudyRunsTheTrialsItRunsWithoutSpeculation() {
    ValuePredictor exact =
        (pool, s, configuration) -> Optional.of(new Prediction(BRANIN.value(configuration), 1));
    var off = run("off", SpeculationSpec.off());
    var exactly =
        SimulatedStudy.run("exact", settings(SpeculationSpec.fixed(0)), state, exact, null);

    // Every round after the first was computed ahead, on copies of the pool that were adopted.
    assertThat(configurations(exactly)).isEqualTo(configurations(off));
    assertThat(exactly.result().wallClock().accepted()).isEqualTo(19);
    assertThat(exactly.result().wallClock().serialOverhead()).isZero();
    assertThat(exactly.simulatedTime()).isEqualTo(Duration.ofSeconds(62));
  }

  @Test
  void theExecutionLogKeepsPredictionActualErrorVerdictAndCounterfactual() {
    var o = run("all", SpeculationSpec.fixed(100));

    List<ExecutionLogEntry> log = ExecutionLog.read(state.resolve("all"));
    assertThat(log).hasSize(14);
    ExecutionLogEntry first = log.get(0);
    TrialRecord subject = o.result().trials().get(5);
    TrialRecord next = o.result().trials().get(6);
    assertThat(first.subject()).isEqualTo(5);
    assertThat(first.actual()).isEqualTo(subject.objective());
    assertThat(first.relativeError())
        .isEqualTo(Math.abs(subject.objective() - first.predicted()) / subject.objective());
    assertThat(first.tau()).isEqualTo(100.0);
    assertThat(first.source()).isEqualTo(next.source());
    assertThat(first.proposal()).isEqualTo(next.parameters());
    assertThat(first.llmMillis()).isEqualTo(2000);
    assertThat(first.hiddenMillis()).isEqualTo(2000);
    assertThat(first.counterfactual()).isNotNull();
    assertThat(first.counterfactual().distance()).isBetween(0.0, 1.0);
  }

  @Test
  void aTrialThatFailsEndsItsSpeculationWithNoValue() {
    var o =
        SimulatedStudy.run(
            "failing",
            settings(SpeculationSpec.fixed(100)),
            state,
            null,
            null,
            executor -> executor.withFailures(n -> n == 8));

    List<ExecutionLogEntry> log = ExecutionLog.read(state.resolve("failing"));
    assertThat(log.stream().filter(e -> e.subject() == 8).map(ExecutionLogEntry::verdict))
        .containsExactly(SpeculationVerdict.NO_VALUE);
    assertThat(o.result().trials().get(9).selection().speculative()).isFalse();
    assertThat(o.result().trials().get(9).selection().speculation().verdict())
        .isEqualTo(SpeculationVerdict.NO_VALUE);
    assertThat(o.result().trials()).hasSize(20);
  }

  @Test
  void anAutoThresholdComesFromTheSelfTunersStateFile() throws Exception {
    // The state names no study, so its default applies: 0 rejects every inexact prediction.
    var none = new TunerState.Threshold(0.0, 40, 0.0, 0.0);
    new TunerState(TunerState.VERSION, null, 0.05, none, java.util.Map.of())
        .write(state.resolve(TunerState.FILE_NAME));

    run("auto", SpeculationSpec.auto());

    List<ExecutionLogEntry> log = ExecutionLog.read(state.resolve("auto"));
    assertThat(log).hasSize(14);
    assertThat(log).allSatisfy(e -> assertThat(e.tau()).isEqualTo(0.0));
    assertThat(log).allSatisfy(e -> assertThat(e.verdict()).isEqualTo(SpeculationVerdict.REJECTED));
  }

  @Test
  void aThresholdSourceIsAskedAtEveryTest() {
    var asked = new java.util.concurrent.atomic.AtomicInteger();
    ThresholdSource counting =
        study -> {
          asked.incrementAndGet();
          return 100;
        };
    SimulatedStudy.run("counted", settings(SpeculationSpec.auto()), state, null, counting);

    assertThat(asked).hasValue(14);
  }

  @Test
  void withTwoSlotsASpeculationStandsWhenTheOtherSlotsTrialEndsMeanwhile() {
    var two =
        new SimulatedStudy.Settings(
            BRANIN,
            20,
            2,
            EvaluationCost.heavyTailed(Duration.ofSeconds(3), 0.5, 3),
            LatencyModel.fixed(Duration.ofSeconds(2)),
            List.of("random", "gp"),
            1,
            SpeculationSpec.fixed(100),
            false);
    var o = SimulatedStudy.run("two", two, state, null, null);

    assertThat(o.result().trials()).hasSize(20);
    assertThat(o.result().trials().stream().map(t -> t.parameters().toString()).distinct().count())
        .isEqualTo(20);
    var clock = o.result().wallClock();
    assertThat(clock.speculations())
        .containsEntry(SpeculationVerdict.ACCEPTED, 9L)
        .containsEntry(SpeculationVerdict.STALE, 3L)
        .containsEntry(SpeculationVerdict.LATE, 1L)
        .containsEntry(SpeculationVerdict.REJECTED, 0L);
    // STALE here: the other slot had already started the same configuration.
    assertThat(clock.serialOverhead()).isEqualTo(Duration.ofMillis(20_595));
    var off =
        SimulatedStudy.run(
            "two-off", two.withSpeculation(SpeculationSpec.off()), state, null, null);
    // Slots also wait while the loop runs the other slot's round: 41.6 s in all without
    // speculation.
    assertThat(off.result().wallClock().serialOverhead()).isEqualTo(Duration.ofMillis(41_597));
    assertThat(off.result().wallClock().evaluation()).isEqualTo(clock.evaluation());
  }

  @Test
  void speculationPausesWhileEverySpeculationComesTooLateThenTriesAgain() {
    var clock = new dev.asap.engine.simulation.VirtualClock(SimulatedStudy.EPOCH, false);
    var settings = settings(SpeculationSpec.fixed(100));
    var study = SimulatedStudy.study("late", settings).spec();
    ValuePredictor pooled = ValuePredictor.pooled();
    // Predictions that take 10 s of simulated time: every trial (3 s) ends before its own.
    ValuePredictor slow =
        (pool, s, c) -> {
          clock.charge(Duration.ofSeconds(10));
          return pooled.predict(pool, s, c);
        };
    var budget = new dev.asap.engine.study.Budget(30, 30, 1, null, null);
    var spec =
        new dev.asap.engine.study.StudySpec(
            study.objective(),
            study.searchSpace(),
            budget,
            study.optimizers(),
            study.integrator(),
            study.trialTemplate(),
            study.seed(),
            study.speculation());
    try (var executor =
        new dev.asap.engine.simulation.SimulatedExecutor(
            clock, BRANIN, SimulatedStudy.METRIC, settings.cost())) {
      new StudyRunner(
              new dev.asap.engine.study.Study("late", null, spec, Path.of(".")),
              executor,
              state,
              new StudyListener() {},
              round -> dev.asap.engine.optimizer.OptimizerPool.create(settings.pool(), 1, round),
              new dev.asap.engine.simulation.SimulatedLatencyIntegrator(
                  new dev.asap.engine.integrator.SourceBandit(), settings.latency(), clock),
              clock)
          .predictor(slow)
          .run();
    }

    List<ExecutionLogEntry> log = ExecutionLog.read(state.resolve("late"));
    // Subjects 0 to 7 come too late (the GP cannot predict yet, but that is only known once the
    // prediction returns); then 8 trials run without speculation; then it tries again.
    assertThat(log).extracting(ExecutionLogEntry::verdict).containsOnly(SpeculationVerdict.LATE);
    // Each is logged once its work has ended, with what it cost: 10 s of prediction, plus the
    // 2 s LLM round once the GP can predict (from subject 5 on).
    assertThat(log.subList(0, 8))
        .extracting(ExecutionLogEntry::wastedMillis)
        .containsExactly(10_000L, 10_000L, 10_000L, 10_000L, 10_000L, 12_000L, 12_000L, 12_000L);
    assertThat(log)
        .extracting(ExecutionLogEntry::subject)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  }
}
