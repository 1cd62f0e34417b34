package dev.asap.operator.tuner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.speculation.TunerState;
import dev.asap.engine.speculation.TunerState.Threshold;
import dev.asap.engine.study.SpeculationSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMapThresholdsTest {

  @Test
  void anUpdatedConfigMapReplacesTheThresholdsAndABrokenOneKeepsThem() {
    var thresholds = new ConfigMapThresholds();
    assertThat(thresholds.tau("ns/study")).isEqualTo(SpeculationSpec.DEFAULT_TAU);

    thresholds.onAdd(map(state(0.2, 0.05)));
    assertThat(thresholds.tau("ns/study")).isEqualTo(0.2);
    assertThat(thresholds.tau("ns/other")).isEqualTo(0.05);

    thresholds.onUpdate(map(state(0.2, 0.05)), map(state(0.3, 0.07)));
    assertThat(thresholds.tau("ns/study")).isEqualTo(0.3);
    assertThat(thresholds.tau("ns/other")).isEqualTo(0.07);

    thresholds.onUpdate(map(state(0.3, 0.07)), map("{broken"));
    assertThat(thresholds.tau("ns/study")).isEqualTo(0.3);
  }

  private static String state(double tau, double pooled) {
    return new TunerState(
            1,
            null,
            0.05,
            new Threshold(pooled, 10, 0.5, 0.01),
            Map.of("ns/study", new Threshold(tau, 8, 0.5, 0.02)))
        .toJson();
  }

  private static ConfigMap map(String state) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("asap-self-tuner")
        .endMetadata()
        .addToData(ConfigMapThresholds.KEY, state)
        .build();
  }
}
