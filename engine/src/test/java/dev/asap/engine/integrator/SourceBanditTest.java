package dev.asap.engine.integrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.SearchSpace;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.StudySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceBanditTest {
  private static final SearchSpace SPACE =
      new SearchSpace(List.of(new FloatParameter("x", 0, 1, false)));

  private static TrialRecord ended(int n, String source, TrialState state, Double value) {
    return new TrialRecord(
        n,
        Map.of("x", n / 100.0),
        source,
        null,
        state,
        null,
        null,
        null,
        value,
        null,
        null,
        null,
        null);
  }

  private static final StudySpec SPEC =
      new StudySpec(
          new Objective("loss", Direction.MINIMIZE, null, List.of()),
          SPACE,
          null,
          List.of("bad", "good"),
          IntegratorSpec.bandit(),
          null,
          0);

  private static Proposal from(String source) {
    return new Proposal(SPACE.configuration(Map.of("x", 0.5)), source, null);
  }

  @Test
  void rewardsAreTheFractionOfEarlierTrialsBeatenAndZeroForFailures() {
    var history =
        List.of(
            ended(0, "a", TrialState.COMPLETED, 5.0),
            ended(1, "b", TrialState.COMPLETED, 3.0),
            ended(2, "a", TrialState.COMPLETED, 4.0),
            ended(3, "b", TrialState.FAILED, null),
            ended(4, "c", TrialState.STOPPED, null));

    var arms = SourceBandit.arms(history, Direction.MINIMIZE);

    // a: first trial (1.0) + beat one of two earlier (0.5); b: beat 5.0 (1.0) + failed (0).
    assertThat(arms.get("a").mean()).isCloseTo(0.75, within(1e-12));
    assertThat(arms.get("b").mean()).isCloseTo(0.5, within(1e-12));
    assertThat(arms.get("a").pulls()).isEqualTo(2);
    assertThat(arms).doesNotContainKey("c");
  }

  @Test
  void maximizingTurnsRewardsAround() {
    var history =
        List.of(ended(0, "a", TrialState.COMPLETED, 5.0), ended(1, "b", TrialState.COMPLETED, 3.0));

    var arms = SourceBandit.arms(history, Direction.MAXIMIZE);

    assertThat(arms.get("b").mean()).isEqualTo(0.0);
  }

  @Test
  void triesEverySourceOnceBeforeExploitingAndCountsRunningTrials() {
    var bandit = new SourceBandit();
    var candidates = List.of(from("a"), from("b"), from("c"));
    var running = new ArrayList<TrialRecord>();
    running.add(ended(0, "a", TrialState.RUNNING, null));

    var first = bandit.select(new SelectionContext(SPEC, List.of(), running, null), candidates);

    assertThat(first.index()).isEqualTo(1);
  }

  @Test
  void prefersTheSourceWhoseTrialsImproveTheStudy() {
    var bandit = new SourceBandit();
    var history = new ArrayList<TrialRecord>();
    double value = 10;
    for (int i = 0; i < 10; i++) {
      // "good" always finds a new best, "bad" always comes in worst.
      history.add(ended(2 * i, "good", TrialState.COMPLETED, value -= 1));
      history.add(ended(2 * i + 1, "bad", TrialState.COMPLETED, 100.0 + i));
    }

    var choice =
        bandit.select(
            new SelectionContext(SPEC, history, List.of(), null),
            List.of(from("bad"), from("good")));

    assertThat(choice.index()).isEqualTo(1);
    assertThat(choice.fallbackReason()).isNull();
  }
}
