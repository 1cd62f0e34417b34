package dev.asap.cli;

import dev.asap.engine.study.Study;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code asap} command: runs and validates study files on this machine, and tunes speculation
 * from what the runs logged.
 *
 * <p>Exit status: 0 when the command did what it was asked, 1 when a study ended as failed (too
 * many failed trials, or none completed), 2 when the input is wrong (an unknown option, a missing
 * or invalid study file), 130 when a study was interrupted and can be resumed.
 */
@Command(
    name = "asap",
    mixinStandardHelpOptions = true,
    versionProvider = AsapCommand.Version.class,
    description = "Runs hyperparameter-optimization studies on this machine.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      SelfTuneCommand.class,
      SimulateCommand.class
    })
public final class AsapCommand implements Callable<Integer> {
  static final int STUDY_FAILED = 1;
  static final int INVALID_INPUT = CommandLine.ExitCode.USAGE;
  static final int INTERRUPTED = 130;

  final StudyLauncher launcher;
  final PrintStream out;
  final PrintStream err;

  @Spec private CommandSpec spec;

  private AsapCommand(StudyLauncher launcher, PrintStream out, PrintStream err) {
    this.launcher = launcher;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine(new LocalStudyLauncher(), System.out, System.err).execute(args));
  }

  /** The command, writing to {@code out} and {@code err} and reaching the engine via launcher. */
  static CommandLine commandLine(StudyLauncher launcher, PrintStream out, PrintStream err) {
    var line = new CommandLine(new AsapCommand(launcher, out, err));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    return line;
  }

  /** Without a subcommand there is nothing to do: say what there is. */
  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return INVALID_INPUT;
  }

  /**
   * Reads a study file for a subcommand.
   *
   * @throws InvalidStudyException when it is missing, unreadable or invalid
   */
  Study read(Path file) {
    if (!Files.exists(file)) {
      throw new InvalidStudyException("no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidStudyException("not a file");
    }
    try {
      return launcher.read(file);
    } catch (IOException e) {
      throw new InvalidStudyException("cannot read: " + e.getMessage(), e);
    }
  }

  /** Prints each line of the problem after the file's name, as compilers do, and says 2. */
  int invalid(Path file, InvalidStudyException problem) {
    problem.getMessage().lines().forEach(line -> err.println(file + ": " + line));
    return INVALID_INPUT;
  }

  /** The version Maven wrote into {@code version.properties} when it built the command. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      var properties = new Properties();
      try (InputStream in = AsapCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[] {"asap " + properties.getProperty("version", "(unknown version)")};
    }
  }
}
