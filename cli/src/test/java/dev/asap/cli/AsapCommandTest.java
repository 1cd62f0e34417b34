package dev.asap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.loop.StopReason;
import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.SearchSpace;
import dev.asap.engine.study.Budget;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsapCommandTest {
  private static final Study STUDY =
      new Study(
          "digits-svm",
          null,
          new StudySpec(
              new Objective("val_accuracy", Direction.MAXIMIZE, null, List.of()),
              new SearchSpace(
                  List.of(
                      new FloatParameter("C", 1e-3, 1e3, true),
                      new CategoricalParameter("kernel", List.of("rbf", "poly")))),
              new Budget(30, 5, 2, Duration.ofMinutes(15), Duration.ofMinutes(2)),
              List.of("random", "tpe"),
              IntegratorSpec.bandit(),
              null,
              42),
          null);

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final FakeLauncher launcher = new FakeLauncher();
  private Path studyFile;

  @BeforeEach
  void writeStudyFile() throws IOException {
    studyFile = Files.writeString(dir.resolve("study.yaml"), "kind: HpoStudy\n");
  }

  private int asap(String... args) {
    return AsapCommand.commandLine(
            launcher,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void rejectsAnUnknownOptionWithStatusTwoAndTheUsage() {
    int status = asap("--bogus");

    assertThat(status).isEqualTo(2);
    assertThat(err()).startsWith("Unknown option: '--bogus'\nUsage: asap ");
  }

  @Test
  void rejectsAnUnknownRunOptionWithStatusTwoAndTheRunUsage() {
    int status = asap("run", "--fast", studyFile.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err()).startsWith("Unknown option: '--fast'\nUsage: asap run ");
    assertThat(launcher.runs).isZero();
  }

  @Test
  void printsTheUsageAndStatusTwoWithoutASubcommand() {
    int status = asap();

    assertThat(status).isEqualTo(2);
    assertThat(err()).startsWith("Usage: asap [-hV] [COMMAND]\n");
  }

  @Test
  void printsTheBuildVersion() {
    int status = asap("--version");

    assertThat(status).isZero();
    assertThat(out()).matches("asap \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
  }

  @Test
  void printsEachValidationProblemAfterTheFileNameAndExitsWithTwo() {
    launcher.problem =
        new InvalidStudyException(
            "spec.budget.maxTrials: must be at least 1\nspec.objective.metric: is required");

    int status = asap("validate", studyFile.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            studyFile
                + ": spec.budget.maxTrials: must be at least 1\n"
                + studyFile
                + ": spec.objective.metric: is required\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void reportsAMissingStudyFileAsInvalidInput() {
    Path missing = dir.resolve("nope.yaml");

    int status = asap("run", missing.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err()).isEqualTo(missing + ": no such file\n");
    assertThat(launcher.runs).isZero();
  }

  @Test
  void keepsTheStudyStatusWhenThePlotCannotBeWritten() throws IOException {
    Path notAFolder = Files.writeString(dir.resolve("taken"), "");

    int status =
        asap("run", "-q", "--plot", notAFolder.resolve("p.png").toString(), studyFile.toString());

    assertThat(status).isZero();
    assertThat(err())
        .startsWith("asap: cannot write the plot " + notAFolder.resolve("p.png") + ": ");
  }

  @Test
  void describesAValidStudy() {
    int status = asap("validate", studyFile.toString());

    assertThat(status).isZero();
    assertThat(out())
        .isEqualTo(
            studyFile
                + ": valid study digits-svm: 2 parameters, up to 30 trials,"
                + " maximize val_accuracy, pool random, tpe\n");
  }

  @Test
  void runPrintsProgressAndSummaryThenPlotsIntoTheStateFolder() {
    Path state = dir.resolve("state");

    int status = asap("run", "--state-dir", state.toString(), studyFile.toString());

    Path plot = state.resolve("digits-svm/best-so-far.png");
    assertThat(status).isZero();
    assertThat(launcher.stateDir).isEqualTo(state);
    assertThat(launcher.listener).isInstanceOf(ProgressPrinter.class);
    assertThat(out())
        .startsWith("trial  source  C          kernel  state")
        .contains("\nstopped after 00:09 (max-trials): 2 of 2 trials ended.\n")
        .endsWith("plot: " + plot + "\n");
    assertThat(plot).isRegularFile();
  }

  @Test
  void quietRunPrintsOnlyTheSummaryAndUsesTheDefaultStateFolder() {
    Path plot = dir.resolve("plot.png");

    int status = asap("run", "--quiet", "--plot", plot.toString(), studyFile.toString());

    assertThat(status).isZero();
    assertThat(launcher.stateDir).isEqualTo(Path.of(".asap"));
    assertThat(launcher.listener).isNotInstanceOf(ProgressPrinter.class);
    assertThat(out()).startsWith("stopped after 00:09 (max-trials)");
    assertThat(plot).isRegularFile();
  }

  @Test
  void runExitsWithOneWhenTheStudyFailed() {
    launcher.stopReason = StopReason.TOO_MANY_FAILURES;

    int status = asap("run", "-q", "--plot", dir.resolve("p.png").toString(), studyFile.toString());

    assertThat(status).isEqualTo(1);
  }

  @Test
  void exitStatusSaysWhetherTheStudySucceeded() {
    TrialRecord best = Trials.completed(0, "random", Map.of("C", 1.0), 0, 4, 0.9);

    assertThat(RunCommand.exitStatus(result(StopReason.MAX_TRIALS, best))).isZero();
    assertThat(RunCommand.exitStatus(result(StopReason.TARGET_REACHED, best))).isZero();
    assertThat(RunCommand.exitStatus(result(StopReason.TOO_MANY_FAILURES, best))).isEqualTo(1);
    assertThat(RunCommand.exitStatus(result(StopReason.TIMEOUT, null))).isEqualTo(1);
    assertThat(RunCommand.exitStatus(result(StopReason.INTERRUPTED, best))).isEqualTo(130);
  }

  private static StudyResult result(StopReason reason, TrialRecord best) {
    List<TrialRecord> trials = best == null ? List.of() : List.of(best);
    return new StudyResult(
        "digits-svm", reason, "done.", trials, best, Duration.ZERO, Map.of("random", 1L));
  }

  /** Returns {@link #STUDY} and a fixed two-trial result, or throws the given problem. */
  private static final class FakeLauncher implements StudyLauncher {
    InvalidStudyException problem;
    StopReason stopReason = StopReason.MAX_TRIALS;
    int runs;
    Path stateDir;
    StudyListener listener;

    @Override
    public Study read(Path file) {
      if (problem != null) {
        throw problem;
      }
      return STUDY;
    }

    @Override
    public StudyResult run(Study study, Path stateDir, StudyListener listener) {
      runs++;
      this.stateDir = stateDir;
      this.listener = listener;
      var p = new LinkedHashMap<String, Object>();
      p.put("C", 2.5);
      p.put("kernel", "rbf");
      TrialRecord first = Trials.completed(0, "random", p, 0, 4, 0.93);
      TrialRecord second = Trials.completed(1, "tpe", p, 1, 9, 0.95);
      listener.trialStarted(Trials.running(0, "random", p, 0));
      listener.trialEnded(first, first);
      listener.trialEnded(second, second);
      return new StudyResult(
          study.name(),
          stopReason,
          "2 of 2 trials ended.",
          List.of(first, second),
          second,
          Duration.ofSeconds(9),
          Map.of("random", 1L, "tpe", 1L));
    }
  }
}
