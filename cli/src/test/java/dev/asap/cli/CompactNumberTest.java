package dev.asap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompactNumberTest {

  @Test
  void keepsFourSignificantDigitsWithoutTrailingZeros() {
    assertThat(CompactNumber.format(0.98611111)).isEqualTo("0.9861");
    assertThat(CompactNumber.format(12.3456789)).isEqualTo("12.35");
    assertThat(CompactNumber.format(0.5)).isEqualTo("0.5");
    assertThat(CompactNumber.format(100.0)).isEqualTo("100");
    assertThat(CompactNumber.format(12345.0)).isEqualTo("12350");
    assertThat(CompactNumber.format(0.00012345)).isEqualTo("0.0001235");
    assertThat(CompactNumber.format(-2.5)).isEqualTo("-2.5");
  }

  @Test
  void switchesToScientificNotationOutsideOneTenThousandthToOneHundredThousand() {
    assertThat(CompactNumber.format(1.23456e-5)).isEqualTo("1.235e-05");
    assertThat(CompactNumber.format(123456.0)).isEqualTo("1.235e+05");
    assertThat(CompactNumber.format(-1e-7)).isEqualTo("-1e-07");
    assertThat(CompactNumber.format(99999.9)).isEqualTo("1e+05");
  }

  @Test
  void namesZeroAndTheNonFiniteValues() {
    assertThat(CompactNumber.format(0.0)).isEqualTo("0");
    assertThat(CompactNumber.format(Double.NaN)).isEqualTo("nan");
    assertThat(CompactNumber.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
  }

  @Test
  void printsIntegersAndCategoriesAsTheyAre() {
    assertThat(CompactNumber.value(300L)).isEqualTo("300");
    assertThat(CompactNumber.value("rbf")).isEqualTo("rbf");
    assertThat(CompactNumber.value(true)).isEqualTo("true");
  }
}
