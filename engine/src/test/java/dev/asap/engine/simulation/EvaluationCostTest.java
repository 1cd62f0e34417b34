package dev.asap.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvaluationCostTest {
  private static final Duration MEDIAN = Duration.ofSeconds(3);

  @Test
  void aFixedCostIsTheSameForEveryTrial() {
    var cost = EvaluationCost.fixed(Duration.ofMillis(1500));

    assertThat(cost.of(0)).isEqualTo(Duration.ofMillis(1500));
    assertThat(cost.of(917)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aHeavyTailedCostIsTheMedianTimesExpSigmaZOfTheTrialsOwnDraw() {
    var cost = EvaluationCost.heavyTailed(MEDIAN, 0.8, 42);

    for (int n = 0; n < 50; n++) {
      double z = SeededDraws.standardNormal(42, n);
      long expected = Math.round(MEDIAN.toNanos() * Math.exp(0.8 * z));
      assertThat(cost.of(n)).isEqualTo(Duration.ofNanos(expected));
    }
  }

  @Test
  void aTrialsCostDoesNotDependOnTheOrderOfTheCalls() {
    var cost = EvaluationCost.heavyTailed(MEDIAN, 1.0, 7);
    List<Duration> forward = IntStream.range(0, 100).mapToObj(cost::of).toList();

    var reversed = new ArrayList<Duration>();
    var again = EvaluationCost.heavyTailed(MEDIAN, 1.0, 7);
    for (int n = 99; n >= 0; n--) {
      reversed.add(again.of(n));
    }
    Collections.reverse(reversed);

    assertThat(reversed).isEqualTo(forward);
    assertThat(forward).doesNotHaveDuplicates();
  }

  @Test
  void anotherSeedGivesOtherCosts() {
    var one = EvaluationCost.heavyTailed(MEDIAN, 1.0, 1);
    var two = EvaluationCost.heavyTailed(MEDIAN, 1.0, 2);

    assertThat(IntStream.range(0, 20).filter(n -> one.of(n).equals(two.of(n))).count()).isZero();
  }

  @Test
  void sigmaZeroGivesExactlyTheMedian() {
    var cost = EvaluationCost.heavyTailed(MEDIAN, 0, 5);

    assertThat(cost.of(0)).isEqualTo(MEDIAN);
    assertThat(cost.of(123)).isEqualTo(MEDIAN);
  }

  @Test
  void theSampleMedianOf2001CostsIsTheMedianOfTheDrawsMappedAndCloseToTheMedian() {
    var cost = EvaluationCost.heavyTailed(MEDIAN, 1.0, 2026);
    long[] nanos = IntStream.range(0, 2001).mapToLong(n -> cost.of(n).toNanos()).sorted().toArray();
    double[] z =
        IntStream.range(0, 2001).mapToDouble(n -> SeededDraws.standardNormal(2026, n)).toArray();
    Arrays.sort(z);

    long sampleMedian = nanos[1000];

    // exp is increasing, so the middle cost is the middle draw mapped.
    assertThat(sampleMedian).isEqualTo(Math.round(MEDIAN.toNanos() * Math.exp(z[1000])));
    // The median of 2001 standard normal draws has a standard error of sqrt(pi / 2 / 2001) = 0.028;
    // 0.1 on the log scale is 3.5 of them.
    assertThat(Math.log(sampleMedian / (double) MEDIAN.toNanos())).isCloseTo(0, within(0.1));
  }

  @Test
  void parsesADurationAsAFixedCostAndTheLogNormalForm() {
    assertThat(EvaluationCost.parse("3s", 9)).isEqualTo(EvaluationCost.fixed(MEDIAN));
    assertThat(EvaluationCost.parse("1m30s", 9))
        .isEqualTo(EvaluationCost.fixed(Duration.ofSeconds(90)));
    assertThat(EvaluationCost.parse("lognormal:3s:1.0", 9))
        .isEqualTo(EvaluationCost.heavyTailed(MEDIAN, 1.0, 9));
    assertThat(EvaluationCost.parse("lognormal:PT0.5S:0.25", 9))
        .isEqualTo(EvaluationCost.heavyTailed(Duration.ofMillis(500), 0.25, 9));
  }

  @Test
  void printsTheFormItParses() {
    assertThat(EvaluationCost.parse("lognormal:3s:1.0", 9)).hasToString("lognormal:3s:1.0");
    assertThat(EvaluationCost.parse("90s", 9)).hasToString("1m30s");
  }

  @Test
  void refusesOtherTextNamingTheAcceptedForms() {
    String forms =
        "write a duration (3s, 1m30s, PT0.5S) or lognormal:MEDIAN:SIGMA (lognormal:3s:1.0)";

    assertThatThrownBy(() -> EvaluationCost.parse("lognormal:3s", 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "\"lognormal:3s\" is not an evaluation cost (expected lognormal:MEDIAN:SIGMA); "
                + forms);
    assertThatThrownBy(() -> EvaluationCost.parse("lognormal:3s:wide", 9))
        .hasMessageStartingWith("\"lognormal:3s:wide\" is not an evaluation cost (")
        .hasMessageEndingWith(forms);
    assertThatThrownBy(() -> EvaluationCost.parse("slow", 9))
        .hasMessageStartingWith("\"slow\" is not an evaluation cost (")
        .hasMessageEndingWith(forms);
    assertThatThrownBy(() -> EvaluationCost.parse("lognormal:3s:-1", 9))
        .hasMessage(
            "\"lognormal:3s:-1\" is not an evaluation cost (sigma must be a finite number >= 0,"
                + " got -1.0); "
                + forms);
    assertThatThrownBy(() -> EvaluationCost.parse("lognormal:0s:1", 9))
        .hasMessageContaining("a median cost must be positive: PT0S");
  }
}
