package dev.asap.engine.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
  private static final SearchSpace MIXED =
      new SearchSpace(
          List.of(
              new FloatParameter("lr", 1e-4, 1e-1, true),
              new IntParameter("layers", 2, 8, 2, false),
              new CategoricalParameter("act", List.of("relu", "tanh", true, 3))));

  @Test
  void discreteValuesMapToTheirBinCentresAndBack() {
    var c = MIXED.configuration(Map.of("lr", 0.01, "layers", 6, "act", true));

    double[] u = MIXED.toUnit(c);

    assertThat(u[0]).isCloseTo(2.0 / 3.0, within(1e-12));
    assertThat(u[1]).isEqualTo(0.625);
    assertThat(u[2]).isEqualTo(0.625);
    var back = MIXED.fromUnit(u);
    assertThat((Double) back.get("lr")).isCloseTo(0.01, within(1e-15));
    assertThat(back.get("layers")).isEqualTo(6L);
    assertThat(back.get("act")).isEqualTo(true);
    assertThat(c.key()).isEqualTo("lr=0.01,layers=6,act=true");
  }

  @Test
  void everyPointOfTheCubeDecodesToAnAllowedValue() {
    assertThat(MIXED.fromUnit(new double[] {1.0, 1.0, 1.0}).values())
        .containsExactly(Map.entry("lr", 0.1), Map.entry("layers", 8L), Map.entry("act", 3L));
    assertThat(MIXED.fromUnit(new double[] {0.0, 0.0, 0.0}).values())
        .containsExactly(Map.entry("lr", 1e-4), Map.entry("layers", 2L), Map.entry("act", "relu"));
  }

  @Test
  void logScaledIntegersRoundTrip() {
    var units = new IntParameter("units", 16, 256, 1, true);

    for (long v = 16; v <= 256; v++) {
      assertThat(units.fromUnit(units.toUnit(v))).isEqualTo(v);
    }
  }

  @Test
  void rejectsValuesOutsideTheSpaceNamingTheParameter() {
    assertThatThrownBy(() -> MIXED.configuration(Map.of("lr", 0.5, "layers", 6, "act", "relu")))
        .hasMessage("lr: 0.5 is outside [1.0E-4, 0.1]");
    assertThatThrownBy(() -> MIXED.configuration(Map.of("lr", 0.01, "layers", 5, "act", "relu")))
        .hasMessage("layers: 5 is not one of 2, 4, ... 8");
    assertThatThrownBy(() -> MIXED.configuration(Map.of("lr", 0.01, "layers", 6, "act", "gelu")))
        .hasMessage("act: gelu is not one of [relu, tanh, true, 3]");
  }

  @Test
  void enumeratesAFiniteSpaceAndSizesIt() {
    var space =
        new SearchSpace(
            List.of(
                new IntParameter("n", 1, 3, 1, false),
                new CategoricalParameter("k", List.of("a", "b"))));

    assertThat(space.size()).isEqualTo(6);
    assertThat(space.configurations().stream().map(Configuration::key))
        .containsExactly("n=1,k=a", "n=1,k=b", "n=2,k=a", "n=2,k=b", "n=3,k=a", "n=3,k=b");
    assertThat(MIXED.size()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void samplingUntriedFindsTheLastFreeConfigurationOfANearlyExhaustedSpace() {
    var space = new SearchSpace(List.of(new IntParameter("n", 0, 2999, 1, false)));
    var tried =
        space.configurations().stream()
            .map(Configuration::key)
            .filter(k -> !k.equals("n=1234"))
            .collect(Collectors.toSet());
    // Too large to enumerate (3000 > 2048): the draws miss and a tried one comes back.
    assertThat(tried).contains(space.sampleUntried(tried, new SplittableRandom(1)).key());

    var small = new SearchSpace(List.of(new IntParameter("n", 0, 999, 1, false)));
    var smallTried = new HashSet<String>();
    small.configurations().forEach(c -> smallTried.add(c.key()));
    smallTried.remove("n=777");

    assertThat(small.sampleUntried(smallTried, new SplittableRandom(1)).key()).isEqualTo("n=777");
  }
}
