package dev.asap.engine.speculation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asap.engine.speculation.SelfTuner.Decision;
import dev.asap.engine.speculation.TunerState.Threshold;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunerStateTest {
  private static final Instant NOW = Instant.parse("2026-12-04T18:00:00Z");

  @TempDir Path dir;

  private final TunerState state =
      new TunerState(
          1,
          NOW,
          0.05,
          new Threshold(0.07, 40, 0.6, 0.03),
          Map.of("branin", new Threshold(0.12, 16, 0.75, 0.045)));

  @Test
  void readsBackWhatItWrote() {
    Path file = dir.resolve(TunerState.FILE_NAME);

    state.write(file);

    assertThat(TunerState.read(file)).isEqualTo(state);
    assertThat(Files.exists(dir.resolve("self-tuner.json.partial"))).isFalse();
  }

  @Test
  void writesTheDocumentWithDefaultAndStudiesByName() throws IOException {
    Path file = dir.resolve(TunerState.FILE_NAME);

    state.write(file);

    assertThat(Files.readString(file).replaceAll("\\s", ""))
        .isEqualTo(
            "{\"version\":1,\"updatedAt\":\"2026-12-04T18:00:00Z\",\"bound\":0.05,"
                + "\"default\":{\"tau\":0.07,\"entries\":40,\"acceptFraction\":0.6,\"cost\":0.03},"
                + "\"studies\":{\"branin\":{\"tau\":0.12,\"entries\":16,\"acceptFraction\":0.75,"
                + "\"cost\":0.045}}}");
  }

  @Test
  void readsAMissingFileAsTheEmptyState() {
    TunerState read = TunerState.read(dir.resolve("absent.json"));

    assertThat(read).isEqualTo(new TunerState(1, null, 0.05, null, Map.of()));
    assertThat(read.tauFor("branin")).isEqualTo(OptionalDouble.empty());
  }

  @Test
  void refusesAFileThatIsNotJsonNamingTheFile() throws IOException {
    Path file =
        Files.writeString(dir.resolve(TunerState.FILE_NAME), "{\"version\": 1, \"bound\": ");

    assertThatThrownBy(() -> TunerState.read(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the Self-Tuner state " + file + " is not valid: ")
        .hasMessageContaining("end-of-input");
  }

  @Test
  void refusesANegativeTau() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve(TunerState.FILE_NAME),
            "{\"version\":1,\"bound\":0.05,\"studies\":{\"a\":{\"tau\":-1,\"entries\":8}}}");

    assertThatThrownBy(() -> TunerState.read(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the Self-Tuner state " + file + " is not valid: ")
        .hasMessageContaining("tau must be finite and >= 0, was -1.0");
  }

  @Test
  void parsesWhatToJsonWrites() {
    assertThat(TunerState.parse(state.toJson().getBytes(StandardCharsets.UTF_8), "configmap/x"))
        .isEqualTo(state);
  }

  @Test
  void toJsonWritesTheSameDocumentAsTheFile() throws IOException {
    Path file = dir.resolve(TunerState.FILE_NAME);

    state.write(file);

    assertThat(state.toJson().replaceAll("\\s", ""))
        .isEqualTo(Files.readString(file).replaceAll("\\s", ""));
  }

  @Test
  void refusesBytesThatAreNotAStateNamingTheirOrigin() {
    byte[] garbage = "not json at all".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> TunerState.parse(garbage, "ConfigMap asap/self-tuner"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the Self-Tuner state ConfigMap asap/self-tuner is not valid: ")
        .hasMessageContaining("Unrecognized token 'not'");
  }

  @Test
  void refusesAnotherVersion() throws IOException {
    Path file = Files.writeString(dir.resolve(TunerState.FILE_NAME), "{\"version\":2}");

    assertThatThrownBy(() -> TunerState.read(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the Self-Tuner state " + file + " is not valid: version is 2, expected 1");
  }

  @Test
  void givesTheStudysOwnTauElseTheDefault() {
    assertThat(state.tauFor("branin")).isEqualTo(OptionalDouble.of(0.12));
    assertThat(state.tauFor("hartmann6")).isEqualTo(OptionalDouble.of(0.07));
  }

  @Test
  void mergeKeepsThresholdsWithoutANewDecision() {
    TunerState merged =
        state.merge(
            Map.of(
                "branin", new Decision(false, 3, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
                "rosenbrock", new Decision(true, 9, 0.2, 0.5, 0.01, 0.3)),
            new Decision(false, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
            0.1,
            NOW.plusSeconds(60));

    assertThat(merged)
        .isEqualTo(
            new TunerState(
                1,
                NOW.plusSeconds(60),
                0.1,
                new Threshold(0.07, 40, 0.6, 0.03),
                Map.of(
                    "branin", new Threshold(0.12, 16, 0.75, 0.045),
                    "rosenbrock", new Threshold(0.2, 9, 0.5, 0.01))));
  }

  @Test
  void refusesToReadAnythingButARegularFile() throws Exception {
    Path folderInstead = dir.resolve(TunerState.FILE_NAME);
    java.nio.file.Files.createDirectories(folderInstead);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TunerState.read(folderInstead))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the Self-Tuner state " + folderInstead + " is not valid: it is not a regular file");
  }
}
