package dev.asap.engine.speculation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.asap.engine.speculation.RelativeErrorAcceptTest.Verdict;
import dev.asap.engine.study.Direction;
import org.junit.jupiter.api.Test;

class RelativeErrorAcceptTestTest {
  private static final double EPSILON = 1e-6;

  @Test
  void acceptsAnErrorOfExactlyTau() {
    Verdict verdict = new RelativeErrorAcceptTest(0.25, EPSILON).test(4.0, 5.0);

    assertThat(verdict).isEqualTo(new Verdict(true, 0.25, null));
  }

  @Test
  void rejectsAnErrorOneUlpAboveTau() {
    RelativeErrorAcceptTest test = new RelativeErrorAcceptTest(1.0, EPSILON);

    Verdict atTau = test.test(1.0, 0.0);
    Verdict aboveTau = test.test(1.0, -Math.ulp(1.0));

    assertThat(atTau).isEqualTo(new Verdict(true, 1.0, null));
    assertThat(aboveTau.accepted()).isFalse();
    assertThat(aboveTau.relativeError()).isEqualTo(Math.nextUp(1.0));
    assertThat(aboveTau.reason()).isEqualTo("relative error 1.0000000000000002 is above tau 1.0");
  }

  @Test
  void rejectsAnErrorOfTauWhenTauIsOneUlpSmaller() {
    Verdict verdict = new RelativeErrorAcceptTest(Math.nextDown(0.25), EPSILON).test(4.0, 5.0);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.relativeError()).isEqualTo(0.25);
  }

  @Test
  void measuresTheErrorAgainstEpsilonWhenTheActualValueIsZero() {
    Verdict verdict = new RelativeErrorAcceptTest(1e-3, 1e-6).test(0.0, 1e-9);

    assertThat(verdict.accepted()).isTrue();
    assertThat(verdict.relativeError()).isCloseTo(1e-3, within(1e-12));
  }

  @Test
  void measuresTheErrorAgainstEpsilonWhenTheActualValueIsBelowEpsilon() {
    Verdict verdict = new RelativeErrorAcceptTest(0.5, 1e-6).test(2e-7, 1e-6);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.relativeError()).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void acceptsAnyPredictionOfZeroWithinTauTimesEpsilonOfAnActualZero() {
    RelativeErrorAcceptTest test = new RelativeErrorAcceptTest(0.5, 1e-6);

    assertThat(test.test(-0.0, 5e-7).accepted()).isTrue();
    assertThat(test.test(0.0, -5e-7).accepted()).isTrue();
    assertThat(test.test(0.0, 6e-7).accepted()).isFalse();
  }

  @Test
  void scalesNegativeObjectivesByTheirMagnitude() {
    Verdict verdict = new RelativeErrorAcceptTest(0.0625, EPSILON).test(-2.0, -2.125);

    assertThat(verdict).isEqualTo(new Verdict(true, 0.0625, null));
  }

  @Test
  void givesTheSameErrorForNegativeAndPositiveObjectives() {
    RelativeErrorAcceptTest test = new RelativeErrorAcceptTest(0.06, EPSILON);

    Verdict negative = test.test(-2.0, -2.1);
    Verdict positive = test.test(2.0, 2.1);

    assertThat(negative.relativeError()).isCloseTo(0.05, within(1e-12));
    assertThat(positive).isEqualTo(negative);
    assertThat(negative.accepted()).isTrue();
  }

  @Test
  void rejectsADecimalTauThatTheBinaryErrorExceedsByRounding() {
    Verdict verdict = new RelativeErrorAcceptTest(0.05, EPSILON).test(-2.0, -2.1);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.relativeError()).isEqualTo(0.050000000000000044);
  }

  @Test
  void givesTheSameVerdictInObjectiveAndLossUnits() {
    RelativeErrorAcceptTest test = new RelativeErrorAcceptTest(0.1, EPSILON);
    double[][] pairs = {{0.93, 0.97}, {0.5, 0.8}, {-3.3, -3.0}, {0.0, 2e-7}, {1e-7, -4e-7}};

    for (double[] pair : pairs) {
      Verdict objective = test.test(pair[0], pair[1]);
      Verdict loss =
          test.test(Direction.MAXIMIZE.toLoss(pair[0]), Direction.MAXIMIZE.toLoss(pair[1]));

      assertThat(loss).as("y=%s, prediction=%s", pair[0], pair[1]).isEqualTo(objective);
    }
  }

  @Test
  void rejectsANanActualValue() {
    Verdict verdict = new RelativeErrorAcceptTest(10, EPSILON).test(Double.NaN, 1.0);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.relativeError()).isNaN();
    assertThat(verdict.reason()).isEqualTo("actual value is NaN");
  }

  @Test
  void rejectsANanPredictedValue() {
    Verdict verdict = new RelativeErrorAcceptTest(10, EPSILON).test(1.0, Double.NaN);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.relativeError()).isNaN();
    assertThat(verdict.reason()).isEqualTo("predicted value is NaN");
  }

  @Test
  void rejectsInfiniteValuesEvenWhenTheyAreEqual() {
    RelativeErrorAcceptTest test = new RelativeErrorAcceptTest(10, EPSILON);

    Verdict bothInfinite = test.test(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    Verdict actualInfinite = test.test(Double.NEGATIVE_INFINITY, 1.0);
    Verdict predictedInfinite = test.test(1.0, Double.NEGATIVE_INFINITY);

    assertThat(bothInfinite.accepted()).isFalse();
    assertThat(bothInfinite.relativeError()).isNaN();
    assertThat(bothInfinite.reason())
        .isEqualTo("actual value is Infinity and predicted value is Infinity");
    assertThat(actualInfinite.accepted()).isFalse();
    assertThat(actualInfinite.reason()).isEqualTo("actual value is -Infinity");
    assertThat(predictedInfinite.accepted()).isFalse();
    assertThat(predictedInfinite.reason()).isEqualTo("predicted value is -Infinity");
  }

  @Test
  void rejectsFiniteValuesWhoseDifferenceOverflows() {
    Verdict verdict =
        new RelativeErrorAcceptTest(10, EPSILON).test(Double.MAX_VALUE, -Double.MAX_VALUE);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.relativeError()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void tauZeroAcceptsOnlyAnExactPrediction() {
    RelativeErrorAcceptTest test = new RelativeErrorAcceptTest(0.0, EPSILON);

    assertThat(test.test(0.9731, 0.9731)).isEqualTo(new Verdict(true, 0.0, null));
    assertThat(test.test(0.0, 0.0)).isEqualTo(new Verdict(true, 0.0, null));
    assertThat(test.test(0.9731, Math.nextUp(0.9731)).accepted()).isFalse();
  }

  @Test
  void refusesATauThatIsNegativeOrNotFinite() {
    for (double tau : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new RelativeErrorAcceptTest(tau, EPSILON))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("tau must be finite and >= 0, was " + tau);
    }
  }

  @Test
  void refusesAnEpsilonThatIsNotPositiveOrNotFinite() {
    for (double epsilon : new double[] {0.0, -1e-6, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new RelativeErrorAcceptTest(0.1, epsilon))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("epsilon must be finite and > 0, was " + epsilon);
    }
  }
}
