package dev.asap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.speculation.ExecutionLog;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.SpeculationVerdict;
import dev.asap.engine.speculation.TunerState;
import dev.asap.engine.speculation.TunerState.Threshold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfTuneCommandTest {
  @TempDir Path stateDir;

  private final CapturedAsap cli = new CapturedAsap();

  private static ExecutionLogEntry entry(String study, int subject, double error, double gap) {
    return new ExecutionLogEntry(
        study,
        subject,
        Instant.parse("2026-12-04T12:00:00Z").plusSeconds(subject),
        1.0,
        null,
        1.0,
        error,
        0.1,
        1e-6,
        error <= 0.1 ? SpeculationVerdict.ACCEPTED : SpeculationVerdict.REJECTED,
        "tpe",
        Map.of("x", 0.4),
        5,
        0,
        error <= 0.1 ? 5 : 0,
        error <= 0.1 ? 0 : 5,
        new ExecutionLogEntry.Counterfactual(Map.of("x", 0.5), 0.1, 1.0, 1.0, gap));
  }

  private void log(String study, double[][] errorsAndGaps) {
    var log = new ExecutionLog(stateDir.resolve(study));
    for (int i = 0; i < errorsAndGaps.length; i++) {
      log.append(entry(study, i, errorsAndGaps[i][0], errorsAndGaps[i][1]));
    }
  }

  @BeforeEach
  void writeTwoStudiesAndAnEarlierState() throws IOException {
    log(
        "branin",
        new double[][] {
          {0.06, 0.25}, {0.01, 0.0}, {0.02, 0.125}, {0.10, 0.5},
          {0.03, 0.0}, {0.04, 0.0625}, {0.08, 0.0}, {0.20, -0.25}
        });
    log("rosenbrock", new double[][] {{0.005, 0.0}, {0.3, 0.0}, {0.5, 0.0}});
    Files.createDirectories(stateDir.resolve("no-speculation"));
    Files.writeString(stateDir.resolve("no-speculation").resolve("trials.jsonl"), "");
    new TunerState(
            1,
            Instant.parse("2026-12-03T12:00:00Z"),
            0.05,
            new Threshold(0.1, 20, 0.5, 0.02),
            Map.of("rosenbrock", new Threshold(0.15, 9, 0.6, 0.04)))
        .write(stateDir.resolve(TunerState.FILE_NAME));
  }

  @Test
  void tunesEachStudyWithEnoughEntriesAndThePooledDefault() {
    int status = cli.run("self-tune", "--state-dir", stateDir.toString());

    assertThat(status).isZero();
    assertThat(cli.err()).isEmpty();
    assertThat(cli.out())
        .isEqualTo(
            "branin: 8 entries, tau none -> 0.04, accepts 50%, cost 0.04688"
                + " (accepting all: 0.1172)\n"
                + "rosenbrock: 3 entries, too few to tune (need 8), tau 0.15 kept\n"
                + "default: 11 entries, tau 0.1 -> 0.04, accepts 45.45%, cost 0.0375"
                + " (accepting all: 0.08523)\n"
                + "wrote "
                + stateDir.resolve(TunerState.FILE_NAME)
                + "\n");
    TunerState state = TunerState.read(stateDir.resolve(TunerState.FILE_NAME));
    assertThat(state.studies())
        .isEqualTo(
            Map.of(
                "branin", new Threshold(0.04, 8, 0.5, 0.046875),
                "rosenbrock", new Threshold(0.15, 9, 0.6, 0.04)));
    assertThat(state.pooled()).isEqualTo(new Threshold(0.04, 11, 5.0 / 11, 0.0375));
    assertThat(state.bound()).isEqualTo(0.05);
  }

  @Test
  void aSmallerMinimumAndALargerBoundChangeTheDecisions() {
    int status =
        cli.run(
            "self-tune",
            "--state-dir",
            stateDir.toString(),
            "--bound",
            "0.5",
            "--min-entries",
            "3");

    assertThat(status).isZero();
    TunerState state = TunerState.read(stateDir.resolve(TunerState.FILE_NAME));
    assertThat(state.tauFor("branin")).isEqualTo(OptionalDouble.of(0.2));
    assertThat(state.tauFor("rosenbrock")).isEqualTo(OptionalDouble.of(0.5));
    assertThat(state.tauFor("new-study")).isEqualTo(OptionalDouble.of(0.5));
    assertThat(state.bound()).isEqualTo(0.5);
  }

  @Test
  void refusesABoundOutsideZeroToOne() {
    int zero = cli.run("self-tune", "--state-dir", stateDir.toString(), "--bound", "0");
    int nan = cli.run("self-tune", "--state-dir", stateDir.toString(), "--bound", "NaN");
    int two = cli.run("self-tune", "--state-dir", stateDir.toString(), "--bound", "2");

    assertThat(zero).isEqualTo(2);
    assertThat(nan).isEqualTo(2);
    assertThat(two).isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo(
            "asap self-tune: --bound must be greater than 0 and at most 1 (a fraction of the"
                + " history), was 0.0\n"
                + "asap self-tune: --bound must be greater than 0 and at most 1 (a fraction of the"
                + " history), was NaN\n"
                + "asap self-tune: --bound must be greater than 0 and at most 1 (a fraction of the"
                + " history), was 2.0\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void refusesAMinimumBelowOne() {
    int status = cli.run("self-tune", "--state-dir", stateDir.toString(), "--min-entries", "0");

    assertThat(status).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("asap self-tune: --min-entries must be at least 1, was 0\n");
  }

  @Test
  void refusesAStateFolderThatDoesNotExist() {
    Path missing = stateDir.resolve("missing");

    int status = cli.run("self-tune", "--state-dir", missing.toString());

    assertThat(status).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("asap self-tune: no state folder " + missing + "\n");
    assertThat(Files.exists(missing)).isFalse();
  }

  @Test
  void refusesToOverwriteAnInvalidStateFile() throws IOException {
    Path file = Files.writeString(stateDir.resolve(TunerState.FILE_NAME), "{\"version\":2}");

    int status = cli.run("self-tune", "--state-dir", stateDir.toString());

    assertThat(status).isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo(
            "asap self-tune: the Self-Tuner state "
                + file
                + " is not valid: version is 2, expected 1; fix or remove it\n");
    assertThat(Files.readString(file)).isEqualTo("{\"version\":2}");
  }
}
