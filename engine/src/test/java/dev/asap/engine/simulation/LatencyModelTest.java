package dev.asap.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
  private static final List<Duration> SAMPLES =
      List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));

  @Test
  void aFixedLatencyIsTheSameEveryRound() {
    var model = LatencyModel.fixed(Duration.ofMillis(2540));

    assertThat(model.next()).isEqualTo(Duration.ofMillis(2540));
    assertThat(model.next()).isEqualTo(Duration.ofMillis(2540));
  }

  @Test
  void anEmpiricalModelRepeatsItsSequenceForTheSameSeedAndDrawsEverySample() {
    List<Duration> one =
        Stream.generate(LatencyModel.empirical(SAMPLES, 4)::next).limit(60).toList();
    var again = LatencyModel.empirical(SAMPLES, 4);
    List<Duration> two = Stream.generate(again::next).limit(60).toList();
    var other = LatencyModel.empirical(SAMPLES, 5);
    List<Duration> three = Stream.generate(other::next).limit(60).toList();

    assertThat(two).isEqualTo(one);
    assertThat(three).isNotEqualTo(one);
    assertThat(one).containsOnlyElementsOf(SAMPLES).containsAll(SAMPLES);
  }

  @Test
  void theMeasuredModelDrawsTheWarmRoundsOfTheEmbeddedModel() {
    var model = LatencyModel.measured(1);

    List<Duration> drawn = Stream.generate(model::next).limit(200).toList();

    assertThat(drawn).containsOnlyElementsOf(MeasuredLatency.WARM_ROUNDS);
    assertThat(MeasuredLatency.WARM_ROUNDS.stream().mapToLong(Duration::toMillis).sum())
        .isEqualTo(22861); // mean 2540 ms, as bench/llm/README.md reports (2.54 s)
  }

  @Test
  void parsesADurationOrMeasured() {
    assertThat(LatencyModel.parse("2s", 0).next()).isEqualTo(Duration.ofSeconds(2));
    assertThat(LatencyModel.parse("PT2.5S", 0).next()).isEqualTo(Duration.ofMillis(2500));
    assertThat(LatencyModel.parse("measured", 3).next()).isEqualTo(LatencyModel.measured(3).next());
    assertThatThrownBy(() -> LatencyModel.parse("fast", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("\"fast\" is not an LLM latency (")
        .hasMessageEndingWith(
            "; write a duration (2s, PT2.5S) or \"measured\" (the embedded model's warm rounds)");
  }

  @Test
  void refusesNoSamplesAndNegativeLatencies() {
    assertThatThrownBy(() -> LatencyModel.empirical(List.of(), 0))
        .hasMessage("an empirical latency model needs at least one sample");
    assertThatThrownBy(() -> LatencyModel.fixed(Duration.ofMillis(-1)))
        .hasMessage("a latency cannot be negative: PT-0.001S");
  }
}
