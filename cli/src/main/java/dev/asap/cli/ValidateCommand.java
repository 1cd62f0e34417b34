package dev.asap.cli;

import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudySpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code asap validate}: checks a study file without running anything. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Checks a study file and prints every problem found, one per line.")
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand private AsapCommand asap;

  @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
  private Path file;

  @Override
  public Integer call() {
    Study study;
    try {
      study = asap.read(file);
    } catch (InvalidStudyException e) {
      return asap.invalid(file, e);
    }
    StudySpec spec = study.spec();
    asap.out.printf(
        "%s: valid study %s: %d parameters, up to %d trials, %s %s, pool %s%s%n",
        file,
        study.name(),
        spec.searchSpace().dimension(),
        spec.budget().maxTrials(),
        spec.objective().direction().word(),
        spec.objective().metric(),
        String.join(", ", spec.optimizers()),
        speculation(spec.speculation()));
    return 0;
  }

  /** How the study speculates, for the summary line; nothing when it does not. */
  private static String speculation(dev.asap.engine.study.SpeculationSpec speculation) {
    if (!speculation.enabled()) {
      return "";
    }
    return speculation.tau() == null
        ? ", speculating with the Self-Tuner's tau"
        : ", speculating with tau " + CompactNumber.format(speculation.tau());
  }
}
