package dev.asap.engine.speculation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asap.engine.speculation.TunerState.Threshold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileThresholdsTest {
  private static final Instant NOW = Instant.parse("2026-12-04T18:00:00Z");

  @TempDir Path dir;

  private static TunerState state(double defaultTau, Map<String, Double> studies) {
    var thresholds = new java.util.TreeMap<String, Threshold>();
    studies.forEach((name, tau) -> thresholds.put(name, new Threshold(tau, 8, 0.5, 0.01)));
    return new TunerState(1, NOW, 0.05, new Threshold(defaultTau, 16, 0.5, 0.02), thresholds);
  }

  @Test
  void givesTheFallbackWhileThereIsNoFile() {
    var thresholds = new FileThresholds(dir.resolve(TunerState.FILE_NAME), 0.1);

    assertThat(thresholds.tau("branin")).isEqualTo(0.1);
  }

  @Test
  void givesTheStudysTauElseTheDefault() {
    Path file = dir.resolve(TunerState.FILE_NAME);
    state(0.07, Map.of("branin", 0.12)).write(file);
    var thresholds = new FileThresholds(file, 0.1);

    assertThat(thresholds.tau("branin")).isEqualTo(0.12);
    assertThat(thresholds.tau("hartmann6")).isEqualTo(0.07);
  }

  @Test
  void picksUpARewrittenFile() {
    Path file = dir.resolve(TunerState.FILE_NAME);
    var thresholds = new FileThresholds(file, 0.1);
    double before = thresholds.tau("branin");
    state(0.07, Map.of("branin", 0.12)).write(file);
    double first = thresholds.tau("branin");

    state(0.07, Map.of("branin", 0.03)).write(file);
    double second = thresholds.tau("branin");

    assertThat(before).isEqualTo(0.1);
    assertThat(first).isEqualTo(0.12);
    assertThat(second).isEqualTo(0.03);
  }

  @Test
  void keepsTheLastGoodValuesWhenTheFileTurnsInvalid() throws IOException {
    Path file = dir.resolve(TunerState.FILE_NAME);
    state(0.07, Map.of("branin", 0.12)).write(file);
    var thresholds = new FileThresholds(file, 0.1);
    double good = thresholds.tau("branin");

    Files.writeString(file, "{\"version\": 1, \"studies\": {\"branin\": ");
    double afterCorruption = thresholds.tau("branin");
    double defaultAfterCorruption = thresholds.tau("hartmann6");
    state(0.07, Map.of("branin", 0.2)).write(file);
    double repaired = thresholds.tau("branin");

    assertThat(good).isEqualTo(0.12);
    assertThat(afterCorruption).isEqualTo(0.12);
    assertThat(defaultAfterCorruption).isEqualTo(0.07);
    assertThat(repaired).isEqualTo(0.2);
  }

  @Test
  void fixedGivesTheSameTauForEveryStudy() {
    ThresholdSource fixed = ThresholdSource.fixed(0.25);

    assertThat(fixed.tau("branin")).isEqualTo(0.25);
    assertThat(fixed.tau("hartmann6")).isEqualTo(0.25);
    assertThatThrownBy(() -> ThresholdSource.fixed(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tau must be finite and >= 0, was -0.1");
  }
}
