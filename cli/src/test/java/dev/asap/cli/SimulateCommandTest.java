package dev.asap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  @TempDir Path stateDir;

  private final CapturedAsap cli = new CapturedAsap();

  private String[] args(String... more) {
    var all =
        new java.util.ArrayList<>(
            List.of(
                "simulate",
                "--function",
                "branin",
                "--trials",
                "20",
                "--pool",
                "random,gp",
                "--eval-cost",
                "3s",
                "--llm-latency",
                "2s",
                "--no-compute-time",
                "--state-dir",
                stateDir.toString()));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void comparesSettingsOverTheSameSeeds() throws IOException {
    Path csv = stateDir.resolve("runs.csv");

    int status =
        cli.run(args("--seeds", "1-2", "--speculation", "off,0,100", "--csv", csv.toString()));

    assertThat(status).isZero();
    List<String> lines = cli.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1))
        .startsWith("off           2    20.0     100.0      38.0     0%         -");
    assertThat(lines.get(2))
        .startsWith("0             2    20.0     100.0      38.0     0%      0/28");
    assertThat(lines.get(3))
        .startsWith("100           2    20.0      72.0      10.0    74%     28/28");
    assertThat(lines.get(1)).endsWith("+0.000 +- 0.0; 0/2/0");
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows).hasSize(7);
    assertThat(rows.get(0))
        .isEqualTo(
            "setting,seed,trials,regret,simulated_seconds,serial_overhead_seconds,accepted,"
                + "speculations,hidden_seconds,wasted_seconds");
    assertThat(rows.get(5)).startsWith("100,1,20,").endsWith(",72.000,10.000,14,14,28.000,0.000");
    assertThat(Files.isDirectory(stateDir.resolve("branin-tau100-s2"))).isTrue();
  }

  @Test
  void refusesAStateFolderThatAlreadyHoldsTheStudies() {
    assertThat(cli.run(args("--seeds", "1-1", "--speculation", "off"))).isZero();

    assertThat(cli.run(args("--seeds", "1-1", "--speculation", "off"))).isEqualTo(2);
    assertThat(cli.err()).contains("branin-off-s1 already holds a study; use another --state-dir");
  }

  @Test
  void refusesASettingThatIsNeitherOffAutoNorAThreshold() {
    assertThat(cli.run(args("--speculation", "sometimes"))).isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo(
            "asap simulate: --speculation: 'sometimes' is not off, auto or a number from 0 to 100\n");
  }

  @Test
  void refusesSeedsThatAreNotARange() {
    assertThat(cli.run(args("--seeds", "7"))).isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo("asap simulate: --seeds must be FROM-TO, such as 1-10; was 7\n");
  }

  @Test
  void refusesAnUnknownFunctionNamingTheAllowedOnes() {
    assertThat(cli.run("simulate", "--function", "sphere", "--state-dir", stateDir.toString()))
        .isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo(
            "asap simulate: no benchmark function named \"sphere\"; the allowed names are"
                + " [branin, hartmann6, rosenbrock, ackley]\n");
  }

  @Test
  void refusesAFileAsStateFolderAndACsvOutsideAnExistingFolderBeforeRunningAnything()
      throws IOException {
    Path file = Files.createFile(stateDir.resolve("a-file"));
    assertThat(cli.run("simulate", "--state-dir", file.toString())).isEqualTo(2);
    assertThat(
            cli.run(
                args("--seeds", "1-1", "--csv", stateDir.resolve("no/such/out.csv").toString())))
        .isEqualTo(2);

    assertThat(cli.err())
        .isEqualTo(
            "asap simulate: --state-dir "
                + file
                + " is a file, not a folder\n"
                + "asap simulate: --csv "
                + stateDir.resolve("no/such/out.csv")
                + " must be a file in an existing folder\n");
    assertThat(Files.exists(stateDir.resolve("branin-off-s1"))).isFalse();
  }

  @Test
  void refusesATimeoutOfZeroAndAPoolThatNamesNothingOrAMemberTwice() {
    assertThat(cli.run(args("--timeout", "0s"))).isEqualTo(2);
    assertThat(cli.run("simulate", "--pool", ",", "--state-dir", stateDir.toString())).isEqualTo(2);
    assertThat(cli.run("simulate", "--pool", "gp,gp", "--state-dir", stateDir.toString()))
        .isEqualTo(2);

    assertThat(cli.err().lines())
        .containsExactly(
            "asap simulate: --timeout must be longer than 0s; was 0s",
            "asap simulate: --pool must name at least one optimizer, comma-separated; allowed:"
                + " random,sobol,tpe,gp,cmaes,forest",
            "asap simulate: --pool names an optimizer twice: gp,gp");
  }
}
