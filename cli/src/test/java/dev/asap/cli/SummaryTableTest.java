package dev.asap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.LlmCall;
import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.loop.StopReason;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.loop.WallClock;
import dev.asap.engine.speculation.SpeculationVerdict;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.Objective;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
  private static final Objective ACCURACY =
      new Objective("val_accuracy", Direction.MAXIMIZE, null, List.of("fit_seconds"));

  private static Map<String, Object> params(double c, String kernel) {
    var p = new LinkedHashMap<String, Object>();
    p.put("C", c);
    p.put("kernel", kernel);
    return p;
  }

  private static Map<String, Long> chosen(Object... sourceAndCount) {
    var map = new LinkedHashMap<String, Long>();
    for (int i = 0; i < sourceAndCount.length; i += 2) {
      map.put((String) sourceAndCount[i], ((Number) sourceAndCount[i + 1]).longValue());
    }
    return map;
  }

  @Test
  void reportsStopCountsSourcesTopTrialsAndBestConfiguration() {
    TrialRecord best = Trials.completed(2, "tpe", params(7.25, "rbf"), 3, 7, 0.98611);
    List<TrialRecord> trials =
        List.of(
            Trials.completed(0, "random", params(0.5, "rbf"), 0, 3, 0.9472),
            Trials.failed(1, "sobol", params(12.3456, "poly"), 0, 4, "exit status 1"),
            best,
            Trials.completed(3, "tpe", params(100.0, "sigmoid"), 4, 5, 0.9472));
    var result =
        new StudyResult(
            "digits-svm",
            StopReason.MAX_TRIALS,
            "4 of 4 trials ended.",
            trials,
            best,
            Duration.ofSeconds(65),
            chosen("random", 1, "sobol", 1, "tpe", 2));

    String text = new SummaryTable(ACCURACY, 3).render(result);

    assertThat(text)
        .isEqualTo(
            """
            stopped after 01:05 (max-trials): 4 of 4 trials ended.
            trials: 4 (3 completed, 1 failed)
            chosen by source: random 1, sobol 1, tpe 2
            time: trials ran 12.0 s; slots stood idle 0.0 s between trials (critical path: \
            optimizers 0.0 s, llm 0.0 s)

            top 3 by val_accuracy (maximize):
              rank  trial  source  val_accuracy  C     kernel   seconds
                 1      2  tpe           0.9861  7.25  rbf          4.0
                 2      0  random        0.9472  0.5   rbf          3.0
                 3      3  tpe           0.9472  100   sigmoid      1.0

            best: trial 2, val_accuracy = 0.9861
              C: 7.25
              kernel: rbf
            """);
  }

  @Test
  void saysThereIsNoBestWhenNoTrialCompleted() {
    List<TrialRecord> trials =
        List.of(
            Trials.failed(0, "random", params(1.0, "rbf"), 0, 2, "exit status 2"),
            Trials.failed(1, "random", params(2.0, "rbf"), 2, 10, "exit status 2"));
    var result =
        new StudyResult(
            "digits-svm",
            StopReason.TOO_MANY_FAILURES,
            "2 trials failed, more than maxFailedTrials (1).",
            trials,
            null,
            Duration.ofSeconds(10),
            chosen("random", 2, "tpe", 0));

    String text = new SummaryTable(ACCURACY, 5).render(result);

    assertThat(text)
        .isEqualTo(
            """
            stopped after 00:10 (too-many-failures): 2 trials failed, more than maxFailedTrials (1).
            trials: 2 (2 failed)
            chosen by source: random 2, tpe 0
            time: trials ran 10.0 s; slots stood idle 0.0 s between trials (critical path: \
            optimizers 0.0 s, llm 0.0 s)

            best: none, no trial completed
            """);
  }

  @Test
  void ranksSmallestFirstWhenMinimizing() {
    List<TrialRecord> trials =
        List.of(
            Trials.completed(0, "random", params(1.0, "rbf"), 0, 1, 0.30),
            Trials.completed(1, "tpe", params(2.0, "rbf"), 0, 2, 0.10),
            Trials.failed(2, "tpe", params(3.0, "rbf"), 0, 2, "exit status 1"),
            Trials.completed(3, "gp", params(4.0, "rbf"), 0, 3, 0.20));

    List<Integer> order =
        SummaryTable.ranked(trials, Direction.MINIMIZE).stream().map(TrialRecord::number).toList();

    assertThat(order).containsExactly(1, 3, 0);
  }

  private static TrialRecord chosenBy(TrialRecord t, String fallbackReason, LlmCall call) {
    var selection =
        new SelectionRecord(
            "llm", List.of("random", "tpe"), 5, 100, fallbackReason, List.of(), call);
    return new TrialRecord(
        t.number(),
        t.parameters(),
        t.source(),
        t.predictedLoss(),
        t.state(),
        t.proposedAt(),
        t.startedAt(),
        t.finishedAt(),
        t.objective(),
        t.metrics(),
        t.reason(),
        t.handle(),
        selection);
  }

  @Test
  void summarizesTheLlmRoundsFallbacksByCategoryAndTheMeanCostOfTheCalls() {
    List<TrialRecord> trials =
        List.of(
            chosenBy(
                Trials.completed(0, "random", params(1.0, "rbf"), 0, 1, 0.90),
                null,
                new LlmCall("replica-a", 800, 0, 100.0, 40.0, 150, 1)),
            chosenBy(
                Trials.completed(1, "tpe", params(2.0, "rbf"), 1, 2, 0.95),
                null,
                new LlmCall("replica-a", 900, 800, 10.0, 30.0, 50, 2)),
            chosenBy(
                Trials.completed(2, "tpe", params(3.0, "rbf"), 2, 3, 0.93),
                "timeout: no answer within 30s",
                null),
            chosenBy(
                Trials.completed(3, "random", params(4.0, "rbf"), 3, 4, 0.91),
                "unparsable: \"the first\"",
                new LlmCall("replica-b", 1000, 900, null, null, 60)));
    var result =
        new StudyResult(
            "digits-svm",
            StopReason.MAX_TRIALS,
            "4 of 4 trials ended.",
            trials,
            trials.get(1),
            Duration.ofSeconds(4),
            chosen("random", 2, "tpe", 2));

    String text = new SummaryTable(ACCURACY, 1).render(result);

    assertThat(text.lines().limit(5))
        .containsExactly(
            "stopped after 00:04 (max-trials): 4 of 4 trials ended.",
            "trials: 4 (4 completed)",
            "chosen by source: random 2, tpe 2",
            "llm: 4 rounds, 2 fallbacks (unparsable 1, timeout 1); mean prompt 900 tokens, 63.0%"
                + " cached; mean prefill 55.0 ms, decode 35.0 ms; picked the bandit's choice in 1"
                + " of 2 answers",
            "time: trials ran 4.0 s; slots stood idle 0.0 s between trials (critical path:"
                + " optimizers 0.0 s, llm 0.3 s)");
  }

  @Test
  void saysWhichLlmFiguresTheBackendNeverReported() {
    List<TrialRecord> trials =
        List.of(
            chosenBy(
                Trials.completed(0, "random", params(1.0, "rbf"), 0, 1, 0.90),
                null,
                new LlmCall(null, null, null, null, null, 150)));

    assertThat(SummaryTable.llm(trials))
        .isEqualTo(
            "llm: 1 round, 0 fallbacks; mean prompt - tokens, - cached; mean prefill -, decode -");
  }

  @Test
  void leavesTheLlmLineOutWhenTheBanditChose() {
    assertThat(
            SummaryTable.llm(List.of(Trials.completed(0, "random", params(1.0, "rbf"), 0, 1, 0.9))))
        .isNull();
  }

  @Test
  void reportsWhereTheTimeWentAndWhatSpeculationHidAndWasted() {
    var clock =
        new WallClock(
            Duration.ofSeconds(60),
            Duration.ofMillis(10_500),
            Duration.ofMillis(250),
            Duration.ofSeconds(12),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            Duration.ofSeconds(28),
            Duration.ofMillis(3_050),
            Map.of(
                SpeculationVerdict.ACCEPTED, 14L,
                SpeculationVerdict.REJECTED, 1L,
                SpeculationVerdict.NO_VALUE, 2L));

    assertThat(SummaryTable.time(clock))
        .isEqualTo(
            "time: trials ran 60.0 s; slots stood idle 10.5 s between trials (critical path:"
                + " optimizers 0.3 s, llm 12.0 s)");
    assertThat(SummaryTable.speculation(clock))
        .isEqualTo(
            "speculation: 14 of 17 accepted (rejected 1, no value 2); hid 28.0 s of optimizer and"
                + " llm time, wasted 3.1 s");
  }

  @Test
  void saysNothingAboutSpeculationWhenThereWasNone() {
    var clock = WallClock.of(List.of(), List.of());

    assertThat(SummaryTable.speculation(clock)).isNull();
  }
}
