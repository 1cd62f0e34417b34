package dev.asap.cli;

import dev.asap.engine.speculation.ExecutionLog;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.SelfTuner;
import dev.asap.engine.speculation.SelfTuner.Decision;
import dev.asap.engine.speculation.TunerState;
import dev.asap.engine.speculation.TunerState.Threshold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code asap self-tune}: sets each study's speculation threshold τ from its execution log, and a
 * default for new studies, in the state folder's {@value TunerState#FILE_NAME}.
 */
@Command(
    name = "self-tune",
    mixinStandardHelpOptions = true,
    description = {
      "Sets each study's speculation threshold tau from its execution log.",
      "It chooses the largest tau whose accepts cost at most the bound on average;",
      "studies whose tau is auto read it from DIR/" + TunerState.FILE_NAME + "."
    })
final class SelfTuneCommand implements Callable<Integer> {

  @ParentCommand private AsapCommand asap;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      defaultValue = ".asap",
      description =
          "Folder that keeps each study in a subfolder named after it, as for asap run"
              + " (default: ${DEFAULT-VALUE} in the current directory).")
  private Path stateDir;

  @Option(
      names = "--bound",
      paramLabel = "X",
      defaultValue = "" + SelfTuner.DEFAULT_BOUND,
      description =
          "Largest mean cost of an accepted speculation, in ranks of the observed losses"
              + " (default: ${DEFAULT-VALUE}).")
  private double bound;

  @Option(
      names = "--min-entries",
      paramLabel = "N",
      defaultValue = "" + SelfTuner.DEFAULT_MIN_ENTRIES,
      description =
          "Fewest usable log entries that change a study's tau (default: ${DEFAULT-VALUE}).")
  private int minEntries;

  @Override
  public Integer call() throws IOException {
    if (!(bound > 0) || !(bound <= 1)) {
      return usage(
          "--bound must be greater than 0 and at most 1 (a fraction of the history), was " + bound);
    }
    if (minEntries < 1) {
      return usage("--min-entries must be at least 1, was " + minEntries);
    }
    if (!Files.isDirectory(stateDir)) {
      return usage("no state folder " + stateDir);
    }
    Path stateFile = stateDir.resolve(TunerState.FILE_NAME);
    TunerState before;
    try {
      before = TunerState.read(stateFile);
    } catch (IllegalStateException e) {
      return usage(e.getMessage() + "; fix or remove it");
    }

    Map<String, List<ExecutionLogEntry>> logs = readLogs();
    var tuner = new SelfTuner(bound, minEntries);
    var decisions = new LinkedHashMap<String, Decision>();
    logs.forEach((study, entries) -> decisions.put(study, tuner.decide(entries)));
    Decision pooled = tuner.decidePooled(logs.values());
    TunerState after = before.merge(decisions, pooled, bound, Instant.now());
    after.write(stateFile);

    decisions.forEach((study, decision) -> print(study, before.study(study), decision));
    print("default", Optional.ofNullable(before.pooled()), pooled);
    asap.out.println("wrote " + stateFile);
    return 0;
  }

  /** Each study folder's execution log, by study name, in name order. */
  private Map<String, List<ExecutionLogEntry>> readLogs() throws IOException {
    var logs = new LinkedHashMap<String, List<ExecutionLogEntry>>();
    try (Stream<Path> folders = Files.list(stateDir)) {
      folders
          .filter(folder -> Files.isRegularFile(folder.resolve(ExecutionLog.FILE_NAME)))
          .sorted()
          .forEach(folder -> logs.put(folder.getFileName().toString(), ExecutionLog.read(folder)));
    }
    return logs;
  }

  private void print(String name, Optional<Threshold> previous, Decision decision) {
    String was = previous.map(t -> CompactNumber.format(t.tau())).orElse("none");
    if (!decision.decided()) {
      asap.out.printf(
          "%s: %d entries, too few to tune (need %d), tau %s kept%n",
          name, decision.entries(), minEntries, was);
      return;
    }
    asap.out.printf(
        "%s: %d entries, tau %s -> %s, accepts %s%%, cost %s (accepting all: %s)%n",
        name,
        decision.entries(),
        was,
        CompactNumber.format(decision.tau()),
        CompactNumber.format(100 * decision.acceptFraction()),
        CompactNumber.format(decision.cost()),
        CompactNumber.format(decision.costIfAllAccepted()));
  }

  private int usage(String problem) {
    asap.err.println("asap self-tune: " + problem);
    return AsapCommand.INVALID_INPUT;
  }
}
