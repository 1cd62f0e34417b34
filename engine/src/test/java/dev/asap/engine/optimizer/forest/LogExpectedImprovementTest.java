package dev.asap.engine.optimizer.forest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reference values computed with mpmath at 40 digits. */
class LogExpectedImprovementTest {

  @Test
  void matchesTheClosedFormNearTheIncumbent() {
    assertThat(LogExpectedImprovement.logH(0)).isCloseTo(-0.91893853320467274178, within(1e-12));
    assertThat(LogExpectedImprovement.logH(1)).isCloseTo(0.080026218849306940029, within(1e-12));
    assertThat(LogExpectedImprovement.logH(-3)).isCloseTo(-7.8696860596030285171, within(1e-12));
  }

  @Test
  void staysAccurateOnBothSidesOfTheSwitchToTheAsymptoticSeries() {
    assertThat(LogExpectedImprovement.logH(-24.99)).isCloseTo(-319.6107172213737239, within(1e-9));
    assertThat(LogExpectedImprovement.logH(-25.01)).isCloseTo(-320.11230962614199715, within(1e-9));
  }

  @Test
  void ranksCandidatesFarAboveTheIncumbentWherePlainImprovementUnderflows() {
    assertThat(LogExpectedImprovement.logH(-40)).isCloseTo(-808.29856835661996024, within(1e-9));
    assertThat(LogExpectedImprovement.logH(-41)).isLessThan(LogExpectedImprovement.logH(-40));
  }

  @Test
  void scalesByTheStandardDeviation() {
    // mean 3, stddev 0.5, best 2: z = -2, so log EI = log 0.5 + log h(-2).
    assertThat(LogExpectedImprovement.of(3, 0.5, 2))
        .isCloseTo(-5.4619307044770594663, within(1e-12));
  }

  @Test
  void withoutSpreadIsTheLogOfTheSureImprovementOrMinusInfinity() {
    assertThat(LogExpectedImprovement.of(1, 0, 3)).isCloseTo(Math.log(2), within(1e-15));
    assertThat(LogExpectedImprovement.of(3, 0, 1)).isEqualTo(Double.NEGATIVE_INFINITY);
  }
}
