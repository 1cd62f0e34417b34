package dev.asap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.SearchSpace;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.Objective;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  private static final SearchSpace SPACE =
      new SearchSpace(
          List.of(
              new FloatParameter("C", 1e-3, 1e3, true),
              new IntParameter("degree", 2, 5, 1, false),
              new CategoricalParameter("kernel", List.of("rbf", "poly", "sigmoid"))));
  private static final Objective OBJECTIVE =
      new Objective("val_accuracy", Direction.MAXIMIZE, null, List.of());

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final ProgressPrinter printer =
      new ProgressPrinter(
          new PrintStream(bytes, true, StandardCharsets.UTF_8),
          SPACE,
          OBJECTIVE,
          List.of("random", "sobol", "tpe"),
          Trials.T0);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> params(double c, long degree, String kernel) {
    var p = new LinkedHashMap<String, Object>();
    p.put("C", c);
    p.put("degree", degree);
    p.put("kernel", kernel);
    return p;
  }

  @Test
  void printsAlignedLinesForStartsAndEndsUnderOneHeader() {
    TrialRecord first = Trials.completed(0, "random", params(12.3456789, 3, "rbf"), 2, 65, 0.98611);
    TrialRecord second = Trials.failed(1, "tpe", params(0.00123456, 5, "sigmoid"), 3, 70, "exit 1");

    printer.trialStarted(Trials.running(0, "random", params(12.3456789, 3, "rbf"), 2));
    printer.trialStarted(Trials.running(1, "tpe", params(0.00123456, 5, "sigmoid"), 3));
    printer.trialEnded(first, first);
    printer.trialEnded(second, first);

    assertThat(printed())
        .isEqualTo(
            """
            trial  source  C          degree  kernel   state        val_accuracy        best  elapsed
                0  random  12.35      3       rbf      started                                  00:02
                1  tpe     0.001235   5       sigmoid  started                                  00:03
                0  random  12.35      3       rbf      completed          0.9861      0.9861    01:05
                1  tpe     0.001235   5       sigmoid  failed                  -      0.9861    01:10  exit 1
            """);
  }

  @Test
  void showsNoBestWhileNoTrialHasCompleted() {
    TrialRecord failed = Trials.failed(4, "sobol", params(1000.0, 2, "poly"), 0, 3725, "timed out");

    printer.trialEnded(failed, null);

    assertThat(printed().lines().toList())
        .containsExactly(
            "trial  source  C          degree  kernel   state        val_accuracy        best  elapsed",
            "    4  sobol   1000       2       poly     failed                  -           -    62:05  timed out");
  }

  @Test
  void reportsHowManyTrialsAResumedStudyRecoveredAndHowManyWereInterrupted() {
    TrialRecord done = Trials.completed(0, "random", params(1.0, 2, "rbf"), 0, 5, 0.9);
    TrialRecord cut =
        Trials.running(1, "tpe", params(2.0, 3, "rbf"), 1)
            .ended(TrialState.INTERRUPTED, Trials.T0.plusSeconds(9), null, Map.of(), "died");

    printer.resumed(List.of(done, cut, done));

    assertThat(printed()).isEqualTo("resumed: 3 earlier trials recovered, 1 of them interrupted\n");
  }

  @Test
  void writesElapsedTimeAsMinutesAndSecondsPastAnHour() {
    assertThat(ProgressPrinter.minutesSeconds(Duration.ofSeconds(3725))).isEqualTo("62:05");
    assertThat(ProgressPrinter.minutesSeconds(Duration.ofMillis(59_999))).isEqualTo("00:59");
  }

  @Test
  void marksATrialWhoseRoundTheLlmLeftToTheBandit() {
    TrialRecord started = Trials.running(2, "tpe", params(1.0, 2, "rbf"), 4);
    var selection =
        new SelectionRecord(
            "llm",
            List.of("random", "tpe"),
            3,
            300,
            "timeout: no answer within 30s",
            List.of(),
            null);
    var withSelection = withSelection(started, selection);

    printer.trialStarted(withSelection);

    assertThat(printed().lines().skip(1))
        .containsExactly(
            "    2  tpe     1          2       rbf      started                                  00:04"
                + "  llm fallback: timeout");
  }

  @Test
  void marksATrialThatRunsAProposalComputedAhead() {
    TrialRecord started = Trials.running(2, "tpe", params(1.0, 2, "rbf"), 4);
    var selection =
        new SelectionRecord("bandit", List.of("random", "tpe"), 3, 0, null, List.of(), null)
            .withSlot(
                0L,
                new dev.asap.engine.history.SpeculationRecord(
                    1,
                    0.9,
                    0.91,
                    0.01098901098901099,
                    0.1,
                    dev.asap.engine.speculation.SpeculationVerdict.ACCEPTED,
                    2500,
                    2500,
                    0));
    var ahead = withSelection(started, selection);

    printer.trialStarted(ahead);

    assertThat(printed().lines().skip(1))
        .containsExactly(
            "    2  tpe     1          2       rbf      started                                  00:04"
                + "  computed ahead");
  }

  /** {@code trial} as chosen by {@code selection}. */
  private static TrialRecord withSelection(TrialRecord trial, SelectionRecord selection) {
    return new TrialRecord(
        trial.number(),
        trial.parameters(),
        trial.source(),
        null,
        trial.state(),
        trial.proposedAt(),
        trial.startedAt(),
        null,
        null,
        null,
        null,
        trial.handle(),
        selection);
  }
}
