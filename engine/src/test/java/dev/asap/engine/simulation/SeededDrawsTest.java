package dev.asap.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeededDrawsTest {

  @Test
  void neighbouringIndicesShareNoDraws() {
    var first = SeededDraws.generator(3, 10);
    first.nextLong();
    long secondOfTen = first.nextLong();

    long firstOfEleven = SeededDraws.generator(3, 11).nextLong();

    assertThat(firstOfEleven).isNotEqualTo(secondOfTen);
  }

  @Test
  void theSameSeedAndIndexGiveTheSameNormalDraw() {
    assertThat(SeededDraws.standardNormal(8, 4)).isEqualTo(SeededDraws.standardNormal(8, 4));
    assertThat(SeededDraws.standardNormal(8, 4)).isNotEqualTo(SeededDraws.standardNormal(8, 5));
  }

  @Test
  void normalDrawsHaveMeanZeroAndVarianceOne() {
    double[] z =
        IntStream.range(0, 10_000).mapToDouble(n -> SeededDraws.standardNormal(1, n)).toArray();
    double mean = java.util.Arrays.stream(z).average().orElseThrow();
    double variance = java.util.Arrays.stream(z).map(v -> (v - mean) * (v - mean)).sum() / z.length;

    // Standard errors over 10,000 draws: 0.01 for the mean, 0.014 for the variance; 5 of each.
    assertThat(mean).isCloseTo(0, within(0.05));
    assertThat(variance).isCloseTo(1, within(0.07));
  }
}
