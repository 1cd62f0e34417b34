package dev.asap.engine.speculation;

import static dev.asap.engine.speculation.LogEntries.entry;
import static dev.asap.engine.speculation.LogEntries.withoutCounterfactual;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asap.engine.speculation.SelfTuner.Decision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfTunerTest {
  private final SelfTuner tuner = new SelfTuner();

  private static List<ExecutionLogEntry> withGap(double gap, double... errors) {
    var entries = new ArrayList<ExecutionLogEntry>();
    for (double error : errors) {
      entries.add(entry(error, gap));
    }
    return entries;
  }

  @Test
  void lowersTauToZeroWhenEveryAcceptWouldCostAWholeSpread() {
    List<ExecutionLogEntry> entries =
        withGap(1.0, 0.3, 0, 0.01, 0.02, 0.5, 0.03, 0.05, 0, 0.1, 0.2);

    Decision decision = tuner.decide(entries);

    assertThat(decision).isEqualTo(new Decision(true, 10, 0.0, 0.2, 1.0, 1.0));
  }

  @Test
  void choosesZeroWithNothingAcceptedWhenNoErrorIsZeroAndEveryGapIsLarge() {
    List<ExecutionLogEntry> entries = withGap(1.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8);

    Decision decision = tuner.decide(entries);

    assertThat(decision).isEqualTo(new Decision(true, 8, 0.0, 0.0, 0.0, 1.0));
  }

  @Test
  void raisesTauToTheLargestErrorWhenNoAcceptWouldCostAnything() {
    List<ExecutionLogEntry> entries = withGap(0.0, 0.02, 0.9, 0.1, 0.4, 0.05, 0.3, 0.25, 0.6);

    Decision decision = tuner.decide(entries);

    assertThat(decision).isEqualTo(new Decision(true, 8, 0.9, 1.0, 0.0, 0.0));
  }

  @Test
  void choosesTheLargestFeasibleCandidateEvenAfterAnInfeasibleOne() {
    // Accepted sets by candidate: 0.01 costs 0, 0.02 costs 0.0625 (infeasible), 0.03 costs
    // 0.125/3, 0.04 costs 0.1875/4 = 0.046875, and every larger one more than 0.05.
    List<ExecutionLogEntry> entries =
        List.of(
            entry(0.06, 0.25),
            entry(0.01, 0.0),
            entry(0.02, 0.125),
            entry(0.10, 0.5),
            entry(0.03, 0.0),
            entry(0.04, 0.0625),
            entry(0.08, 0.0),
            entry(0.20, -0.25));

    Decision decision = tuner.decide(entries);

    assertThat(decision).isEqualTo(new Decision(true, 8, 0.04, 0.5, 0.046875, 0.1171875));
  }

  @Test
  void acceptsEveryEntryWithTheCandidateErrorWhenErrorsTie() {
    List<ExecutionLogEntry> entries = withGap(0.0, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02);
    entries.add(entry(0.02, 0.5));

    Decision decision = tuner.decide(entries);

    assertThat(decision).isEqualTo(new Decision(true, 8, 0.01, 0.75, 0.0, 0.0625));
  }

  @Test
  void countsANegativeGapAsZero() {
    List<ExecutionLogEntry> entries = withGap(0.0, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08);
    entries.add(entry(0.01, -1.0));
    entries.add(entry(0.02, 0.5));

    Decision decision = tuner.decide(entries);

    assertThat(decision).isEqualTo(new Decision(true, 8, 0.01, 0.125, 0.0, 0.0625));
  }

  @Test
  void makesNoDecisionWithFewerUsableEntriesThanTheMinimum() {
    List<ExecutionLogEntry> entries = withGap(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7);

    Decision decision = tuner.decide(entries);

    assertThat(decision.decided()).isFalse();
    assertThat(decision.entries()).isEqualTo(7);
    assertThat(decision.tau()).isNaN();
  }

  @Test
  void ignoresEntriesWithoutAFiniteErrorOrGap() {
    List<ExecutionLogEntry> entries = withGap(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8);
    entries.add(withoutCounterfactual(0.05));
    entries.add(entry(Double.NaN, 1.0));
    entries.add(entry(Double.POSITIVE_INFINITY, 1.0));
    entries.add(entry(null, 1.0));
    entries.add(entry(-0.5, 1.0));
    entries.add(entry(0.05, null));
    entries.add(entry(0.05, Double.NaN));
    entries.add(entry(0.05, Double.POSITIVE_INFINITY));

    Decision decision = tuner.decide(entries);

    assertThat(decision).isEqualTo(new Decision(true, 8, 0.8, 1.0, 0.0, 0.0));
  }

  @Test
  void pooledDefaultAppliesTheRuleToAllStudiesTogether() {
    List<ExecutionLogEntry> first = withGap(0.0, 0.1, 0.2, 0.3, 0.4);
    List<ExecutionLogEntry> second = withGap(1.0, 0.5, 0.6, 0.7, 0.8);

    Decision alone = tuner.decide(first);
    Decision pooled = tuner.decidePooled(List.of(first, second));

    assertThat(alone.decided()).isFalse();
    assertThat(pooled).isEqualTo(new Decision(true, 8, 0.4, 0.5, 0.0, 0.5));
  }

  @Test
  void usesTheGivenBoundAndMinimum() {
    // Four entries decide with a minimum of 4; accepting all costs 0.25, which bound 0.25 allows.
    List<ExecutionLogEntry> entries = withGap(0.0, 0.1, 0.2, 0.3);
    entries.add(entry(0.4, 1.0));

    Decision decision = new SelfTuner(0.25, 4).decide(entries);

    assertThat(decision).isEqualTo(new Decision(true, 4, 0.4, 1.0, 0.25, 0.25));
  }

  @Test
  void rejectsABoundThatIsNotAPositiveFiniteNumber() {
    assertThatThrownBy(() -> new SelfTuner(Double.NaN, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bound must be finite and > 0, was NaN");
    assertThatThrownBy(() -> new SelfTuner(0.0, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bound must be finite and > 0, was 0.0");
    assertThatThrownBy(() -> new SelfTuner(0.05, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minEntries must be at least 1, was 0");
  }

  @Test
  void neverSetsATauAboveWhatAStudyFileAllows() {
    var entries = new java.util.ArrayList<ExecutionLogEntry>();
    for (int i = 1; i <= 7; i++) {
      entries.add(LogEntries.entry(0.1 * i, 0.0));
    }
    entries.add(LogEntries.entry(5000.0, 0.0));

    SelfTuner.Decision decision = new SelfTuner().decide(entries);

    assertThat(decision.tau()).isEqualTo(0.7000000000000001);
    assertThat(decision.acceptFraction()).isEqualTo(7.0 / 8);
  }
}
