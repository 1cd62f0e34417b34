package dev.asap.engine.integrator.llm;

import static dev.asap.engine.integrator.llm.PromptStudy.SPEC;
import static dev.asap.engine.integrator.llm.PromptStudy.completed;
import static dev.asap.engine.integrator.llm.PromptStudy.ended;
import static dev.asap.engine.integrator.llm.PromptStudy.params;
import static dev.asap.engine.integrator.llm.PromptStudy.proposal;
import static dev.asap.engine.integrator.llm.PromptStudy.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.optimizer.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PrefixStablePromptTest {
  private final PrefixStablePrompt prompt = new PrefixStablePrompt(SPEC);

  /** {@code n} ended trials with made-up values; every seventh failed, every fifth was stopped. */
  private static List<TrialRecord> trials(int n) {
    var trials = new ArrayList<TrialRecord>();
    for (int i = 0; i < n; i++) {
      var p = params(0.001 * Math.pow(1.37, i % 40), 2 + 2 * (i % 4), i % 3 == 0 ? "poly" : "rbf");
      String source = i % 2 == 0 ? "random" : "tpe";
      if (i % 7 == 3) {
        trials.add(ended(i, source, p, TrialState.FAILED));
      } else if (i % 5 == 4) {
        trials.add(ended(i, source, p, TrialState.STOPPED));
      } else {
        trials.add(completed(i, source, p, 0.5 + 0.49 * Math.sin(i * 0.37) * Math.sin(i * 0.37)));
      }
    }
    return trials;
  }

  @Test
  void theHeadStatesTheTaskObjectiveSpacePoolAndAnswerFormat() {
    assertThat(prompt.head())
        .isEqualTo(
            """
            You choose the next trial of a hyperparameter search. Each round, several optimizers \
            each propose one configuration; pick the one most likely to improve the objective, \
            judging each optimizer by how its earlier trials did.

            Objective: maximize val_accuracy.

            Search space:
            - C: float from 0.001 to 1000, log scale
            - degree: integer from 2 to 8 in steps of 2
            - kernel: one of rbf, poly

            Optimizers:
            - random: uniform random draws; unbiased exploration
            - tpe: density of good versus bad trials; strong on mixed and categorical spaces

            The history lists the ended trials in the order they ended: number, optimizer, \
            configuration, then the val_accuracy it reached or FAILED.

            How to choose:
            - Early on, when an optimizer has run few trials, give it a chance: the model-based \
            optimizers (tpe, gp, cmaes, forest) need a handful of results before their proposals \
            mean much.
            - Later, favour the optimizers whose recent trials ranked near the best; an optimizer \
            whose last several trials were all worse than the best should give way to another.
            - Prefer a candidate that differs from a FAILED configuration; configurations close to \
            a failure often fail too.
            - A prediction is the proposing optimizer's own estimate; it tends to be optimistic and \
            is only comparable across rounds of the same optimizer.
            - When the study has stalled for many trials, an exploring candidate (random, sobol) is \
            worth a trial.

            Candidate 1 is the one a bandit over the optimizers' past results would run; pick \
            another when the history shows a better bet. Answer with JSON only: {"pick": n}, \
            where n is the number of the chosen candidate.
            """);
  }

  @Test
  void theHistoryAndTailShowResultsRunningTrialsSourcesAndNumberedCandidates() {
    List<TrialRecord> ended =
        List.of(
            completed(0, "random", params(0.5, 2, "rbf"), 0.9472),
            ended(1, "tpe", params(12.3456, 4, "poly"), TrialState.FAILED),
            ended(2, "tpe", params(1.0, 6, "rbf"), TrialState.STOPPED),
            completed(3, "tpe", params(7.25, 8, "rbf"), 0.98611));
    List<TrialRecord> running = List.of(running(4, "random", params(0.001, 6, "poly")));
    var candidates =
        List.of(
            proposal("tpe", params(3.3, 2, "rbf"), new Prediction(-0.975, 0.0123)),
            proposal("random", params(999.9, 4, "poly"), null));

    Prompt round = prompt.render(ended, running, candidates);

    assertThat(round.system()).isEqualTo(prompt.head());
    assertThat(round.user())
        .isEqualTo(
            """
            History:
            #0 random C=0.5 degree=2 kernel=rbf -> val_accuracy=0.9472
            #1 tpe C=12.35 degree=4 kernel=poly -> FAILED
            #3 tpe C=7.25 degree=8 kernel=rbf -> val_accuracy=0.9861

            Best so far: #3 tpe val_accuracy=0.9861
            Running: #4 random
            Candidates:
            1. tpe C=3.3 degree=2 kernel=rbf, predicts 0.975 ± 0.0123
            2. random C=999.9 degree=4 kernel=poly
            Answer {"pick": n} with n from 1 to 2.
            """);
  }

  @Test
  void theFirstRoundHasAnEmptyHistoryAndNoBest() {
    Prompt round =
        prompt.render(
            List.of(),
            List.of(),
            List.of(
                proposal("random", params(1.0, 2, "rbf"), null),
                proposal("tpe", params(2.0, 4, "rbf"), null)));

    assertThat(round.history()).isEqualTo("History:\n");
    assertThat(round.tail())
        .isEqualTo(
            """

            Best so far: none yet
            Running: none
            Candidates:
            1. random C=1 degree=2 kernel=rbf
            2. tpe C=2 degree=4 kernel=rbf
            Answer {"pick": n} with n from 1 to 2.
            """);
  }

  @Test
  void headAndHistoryOfAnEarlierRoundArePrefixesOfEveryLaterRound() {
    List<TrialRecord> all = trials(110);
    var prefixes = new ArrayList<String>();
    for (int r = 0; r <= all.size(); r++) {
      List<TrialRecord> ended = all.subList(0, r);
      Prompt round =
          prompt.render(
              ended,
              List.of(running(r, "tpe", params(1.0, 2, "rbf"))),
              List.of(proposal("random", params(2.0, 2, "rbf"), null)));
      prefixes.add(round.head() + round.history());
    }

    for (int r = 0; r < prefixes.size(); r++) {
      for (int s = r + 1; s < prefixes.size(); s++) {
        assertThat(prefixes.get(s)).as("round %d then %d", r, s).startsWith(prefixes.get(r));
      }
    }
  }

  @Test
  void dropsTheOldestLinesInBlocksOfFortyOnceTheHistoryPassesItsBound() {
    var lines = new ArrayList<Integer>();
    var firstShown = new ArrayList<String>();
    var breaks = new ArrayList<Integer>();
    String before = null;
    for (int n = 1; n <= 200; n++) {
      var ended = new ArrayList<TrialRecord>();
      for (int i = 0; i < n; i++) {
        ended.add(completed(i, "random", params(1.0 + i, 2, "rbf"), 0.5));
      }
      String history = prompt.history(ended);
      String[] rows = history.split("\n");
      lines.add(rows.length - 1);
      firstShown.add(rows[0] + " / " + rows[1].substring(0, rows[1].indexOf(' ')));
      if (before != null && !history.startsWith(before)) {
        breaks.add(n);
      }
      before = history;
    }

    assertThat(lines.get(119)).isEqualTo(120);
    assertThat(firstShown.get(119)).isEqualTo("History: / #0");
    assertThat(lines.get(120)).isEqualTo(81);
    assertThat(firstShown.get(120)).isEqualTo("History (the 40 oldest trials not shown): / #40");
    assertThat(lines.get(159)).isEqualTo(120);
    assertThat(lines.get(160)).isEqualTo(81);
    assertThat(firstShown.get(160)).isEqualTo("History (the 80 oldest trials not shown): / #80");
    assertThat(breaks).containsExactly(121, 161);
  }

  @Test
  void valueOrderSortsTheHistoryBestFirstAndBreaksThePrefix() {
    var byValue = new PrefixStablePrompt(SPEC, 120, HistoryOrder.BY_VALUE);
    List<TrialRecord> two =
        List.of(
            completed(0, "random", params(1.0, 2, "rbf"), 0.90),
            ended(1, "tpe", params(2.0, 2, "rbf"), TrialState.FAILED));
    List<TrialRecord> three =
        List.of(two.get(0), two.get(1), completed(2, "tpe", params(3.0, 2, "rbf"), 0.95));

    assertThat(byValue.history(three))
        .isEqualTo(
            """
            History:
            #2 tpe C=3 degree=2 kernel=rbf -> val_accuracy=0.95
            #0 random C=1 degree=2 kernel=rbf -> val_accuracy=0.9
            #1 tpe C=2 degree=2 kernel=rbf -> FAILED
            """);
    assertThat(byValue.history(three)).doesNotStartWith(byValue.history(two));
    assertThat(prompt.history(three)).startsWith(prompt.history(two));
  }

  @Test
  void writesNumbersTheSameWayInEveryLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(PromptNumber.format(0.00031)).isEqualTo("0.00031");
      assertThat(PromptNumber.format(120.5)).isEqualTo("120.5");
      assertThat(PromptNumber.format(0.98125)).isEqualTo("0.9812");
      assertThat(PromptNumber.format(1234567.0)).isEqualTo("1.235e6");
      assertThat(PromptNumber.format(-0.00001)).isEqualTo("-1e-5");
      assertThat(PromptNumber.value(3L)).isEqualTo("3");
    } finally {
      Locale.setDefault(before);
    }
  }
}
