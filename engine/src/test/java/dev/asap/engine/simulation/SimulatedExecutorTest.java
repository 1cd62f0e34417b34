package dev.asap.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.execution.MetricReport;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.SearchSpace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedExecutorTest {
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  private static final BenchmarkFunction BRANIN = BenchmarkFunction.branin();
  private static final Configuration ORIGIN =
      BRANIN.space().configuration(Map.of("x1", 0.0, "x2", 0.0));
  private static final double AT_ORIGIN = 56 - 1.25 / Math.PI;
  private static final TrialExit CLEAN = new TrialExit(TrialExit.Kind.EXITED, 0, null);

  /** Trial 0 takes 3 s, every other trial 5 s. */
  private static final EvaluationCost THREE_THEN_FIVE = n -> Duration.ofSeconds(n == 0 ? 3 : 5);

  private final VirtualClock clock = new VirtualClock(T0, false);
  private final List<MetricReport> reports = new ArrayList<>();
  private final List<String> events = new ArrayList<>();

  private static TrialLaunch launch(int number, Configuration c, Duration timeout) {
    return new TrialLaunch("sim", number, c, null, null, null, timeout);
  }

  private RunningTrial start(
      SimulatedExecutor executor, int number, Configuration c, Duration timeout) {
    RunningTrial trial =
        executor.start(
            launch(number, c, timeout),
            r -> {
              reports.add(r);
              events.add("report " + number);
            });
    trial.exit().thenRun(() -> events.add("exit " + number));
    return trial;
  }

  @Test
  void eachTrialReportsItsValueThenExitsAtItsStartPlusItsCost() {
    var executor = new SimulatedExecutor(clock, BRANIN, "loss", THREE_THEN_FIVE);
    var first = start(executor, 0, ORIGIN, null);
    var second = start(executor, 1, BRANIN.minimizer(), null);

    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(events).isEmpty();

    assertThat(clock.runNext(null)).isTrue();
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(3));
    assertThat(reports)
        .containsExactly(new MetricReport("loss", AT_ORIGIN, null, T0.plusSeconds(3)));
    assertThat(events).containsExactly("report 0", "exit 0");
    assertThat(first.exit()).isCompletedWithValue(CLEAN);
    assertThat(second.exit()).isNotDone();

    assertThat(clock.runNext(null)).isTrue();
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(5));
    assertThat(reports.get(1).value()).isEqualTo(BRANIN.value(BRANIN.minimizer()));
    assertThat(reports.get(1).at()).isEqualTo(T0.plusSeconds(5));
    assertThat(events).containsExactly("report 0", "exit 0", "report 1", "exit 1");
    assertThat(second.exit()).isCompletedWithValue(CLEAN);
    assertThat(clock.hasScheduled()).isFalse();
  }

  @Test
  void evaluatingTheFunctionCostsNoVirtualTimeEvenOnAClockThatMeasuresCompute() {
    var measuring = new VirtualClock(T0, true);
    var executor =
        new SimulatedExecutor(
            measuring, BRANIN, "loss", EvaluationCost.fixed(Duration.ofSeconds(3)));

    executor.start(launch(0, ORIGIN, null), r -> {});

    assertThat(measuring.instant()).isEqualTo(T0);
  }

  @Test
  void theHandleNamesTheTrialsNumber() {
    var executor = new SimulatedExecutor(clock, BRANIN, "loss", THREE_THEN_FIVE);

    assertThat(start(executor, 7, ORIGIN, null).handle()).isEqualTo("sim-7");
  }

  @Test
  void aStoppedTrialEndsAtOnceAndItsScheduledEndDoesNothing() {
    var executor = new SimulatedExecutor(clock, BRANIN, "loss", THREE_THEN_FIVE);
    var trial = start(executor, 0, ORIGIN, null);

    trial.stop("budget spent");

    assertThat(trial.exit())
        .isCompletedWithValue(new TrialExit(TrialExit.Kind.STOPPED, null, "budget spent"));
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.runNext(null)).isTrue();
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(3));
    assertThat(reports).isEmpty();
    assertThat(events).containsExactly("exit 0");
  }

  @Test
  void aTrialLongerThanItsTimeLimitTimesOutAtTheLimitWithoutReporting() {
    var executor = new SimulatedExecutor(clock, BRANIN, "loss", THREE_THEN_FIVE);
    var trial = start(executor, 0, ORIGIN, Duration.ofSeconds(2));

    assertThat(clock.runNext(null)).isTrue();

    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(2));
    assertThat(trial.exit())
        .isCompletedWithValue(
            new TrialExit(TrialExit.Kind.TIMED_OUT, null, "ran past its time limit of 2s"));
    assertThat(reports).isEmpty();
    assertThat(clock.hasScheduled()).isFalse();
  }

  @Test
  void aTrialExactlyAsLongAsItsTimeLimitCompletes() {
    var executor = new SimulatedExecutor(clock, BRANIN, "loss", THREE_THEN_FIVE);
    var trial = start(executor, 0, ORIGIN, Duration.ofSeconds(3));

    clock.runNext(null);

    assertThat(trial.exit()).isCompletedWithValue(CLEAN);
    assertThat(reports).extracting(MetricReport::value).containsExactly(AT_ORIGIN);
  }

  @Test
  void anInjectedFailureExitsWithCodeOneWithoutReportingAtTheTrialsEnd() {
    var executor =
        new SimulatedExecutor(clock, BRANIN, "loss", THREE_THEN_FIVE).withFailures(n -> n == 1);
    start(executor, 0, ORIGIN, null);
    var failing = start(executor, 1, ORIGIN, null);

    clock.runNext(null);
    clock.runNext(null);

    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(5));
    assertThat(failing.exit())
        .isCompletedWithValue(
            new TrialExit(TrialExit.Kind.EXITED, 1, "exited with code 1 (injected failure)"));
    assertThat(events).containsExactly("report 0", "exit 0", "exit 1");
  }

  @Test
  void anInjectedNaNIsReportedAndTheTrialExitsCleanly() {
    var executor =
        new SimulatedExecutor(clock, BRANIN, "loss", THREE_THEN_FIVE).withNaNReports(n -> n == 0);
    var trial = start(executor, 0, ORIGIN, null);

    clock.runNext(null);

    assertThat(reports)
        .containsExactly(new MetricReport("loss", Double.NaN, null, T0.plusSeconds(3)));
    assertThat(trial.exit()).isCompletedWithValue(CLEAN);
  }

  @Test
  void aConfigurationTheFunctionCannotReadFailsToStartWithoutSchedulingAnything() {
    var executor = new SimulatedExecutor(clock, BRANIN, "loss", THREE_THEN_FIVE);
    var other = new SearchSpace(List.of(new FloatParameter("x1", 0, 1, false)));

    var trial = start(executor, 0, other.configuration(Map.of("x1", 0.5)), null);

    assertThat(trial.exit())
        .isCompletedWithValue(
            new TrialExit(
                TrialExit.Kind.FAILED_TO_START, null, "no parameter named x2; have [x1]"));
    assertThat(clock.hasScheduled()).isFalse();
  }

  @Test
  void closingStopsTheTrialsStillRunningAndLeavesEndedOnesAlone() {
    var executor = new SimulatedExecutor(clock, BRANIN, "loss", THREE_THEN_FIVE);
    var ended = start(executor, 0, ORIGIN, null);
    var running = start(executor, 1, ORIGIN, null);
    clock.runNext(null);

    executor.close();

    assertThat(ended.exit()).isCompletedWithValue(CLEAN);
    assertThat(running.exit())
        .isCompletedWithValue(
            new TrialExit(TrialExit.Kind.STOPPED, null, "the simulated executor closed"));
    clock.runNext(null);
    assertThat(reports).hasSize(1);
  }
}
