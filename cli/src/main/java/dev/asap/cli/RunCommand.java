package dev.asap.cli;

import dev.asap.engine.loop.StopReason;
import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.Study;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code asap run}: runs a study to its end, then prints its summary and plots its progress. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a study on this machine, each trial as a local process.",
      "A study whose state folder holds an unfinished earlier run resumes it."
    })
final class RunCommand implements Callable<Integer> {
  private static final int TOP_TRIALS = 5;
  private static final int PLOT_WIDTH = 900;
  private static final int PLOT_HEIGHT = 600;

  @ParentCommand private AsapCommand asap;

  @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
  private Path file;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      defaultValue = ".asap",
      description =
          "Folder that keeps each study's journal, in a subfolder named after the study"
              + " (default: ${DEFAULT-VALUE} in the current directory).")
  private Path stateDir;

  @Option(
      names = "--plot",
      paramLabel = "FILE",
      description = "Where to write the best-so-far plot (default: DIR/<study>/best-so-far.png).")
  private Path plot;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print the summary only, not a line per trial.")
  private boolean quiet;

  @Override
  public Integer call() throws IOException {
    Study study;
    try {
      study = asap.read(file);
    } catch (InvalidStudyException e) {
      return asap.invalid(file, e);
    }
    StudyListener listener =
        quiet ? new StudyListener() {} : ProgressPrinter.forStudy(asap.out, study);

    StudyResult result;
    try {
      result = asap.launcher.run(study, stateDir, listener);
    } catch (InvalidStudyException e) {
      return asap.invalid(file, e);
    }

    Objective objective = study.spec().objective();
    if (!quiet) {
      asap.out.println();
    }
    asap.out.print(new SummaryTable(objective, TOP_TRIALS).render(result));
    Path plotFile = plot != null ? plot : stateDir.resolve(study.name()).resolve("best-so-far.png");
    plot(study, result, plotFile);
    asap.out.flush();
    asap.launcher.reported();
    return exitStatus(result);
  }

  /** A plot that cannot be written is reported; the study's outcome still decides the status. */
  private void plot(Study study, StudyResult result, Path file) {
    try {
      if (BestSoFarPlot.write(
          study.name(), study.spec().objective(), result.trials(), file, PLOT_WIDTH, PLOT_HEIGHT)) {
        asap.out.println("plot: " + file);
      }
    } catch (IOException | RuntimeException e) {
      asap.err.println("asap: cannot write the plot " + file + ": " + e);
    }
  }

  /** 1 when the study failed as a whole; 130 (as after Ctrl-C) when it can be resumed. */
  static int exitStatus(StudyResult result) {
    if (result.stopReason() == StopReason.INTERRUPTED) {
      return AsapCommand.INTERRUPTED;
    }
    if (result.stopReason() == StopReason.TOO_MANY_FAILURES || result.best() == null) {
      return AsapCommand.STUDY_FAILED;
    }
    return 0;
  }
}
