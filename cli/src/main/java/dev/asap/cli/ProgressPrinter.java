package dev.asap.cli;

import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.Parameter;
import dev.asap.engine.space.SearchSpace;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.PoolMembers;
import dev.asap.engine.study.Study;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints one aligned line when a trial starts and one when it ends, so that a person watching a
 * study sees each configuration, its result and the best so far as they happen.
 *
 * <p>Column widths come from the search space and the pool up front, because lines are printed one
 * at a time and cannot be re-aligned later.
 */
public final class ProgressPrinter implements StudyListener {
  private static final int NUMBER_WIDTH = 10;

  private final PrintStream out;
  private final SearchSpace space;
  private final Instant start;
  private final Columns columns;
  private boolean headerPrinted;

  /**
   * A printer whose columns fit {@code space}'s values and {@code sources}' names.
   *
   * @param out where the lines go
   * @param space the study's parameters, one column each
   * @param objective the metric whose values the value column shows
   * @param sources the pool members' names, to size the source column
   * @param start the instant elapsed times count from: this run's start
   */
  public ProgressPrinter(
      PrintStream out,
      SearchSpace space,
      Objective objective,
      List<String> sources,
      Instant start) {
    this.out = out;
    this.space = space;
    this.start = start;
    var list = new ArrayList<Columns.Column>();
    list.add(new Columns.Column("trial", 5, true));
    int sourceWidth = sources.stream().mapToInt(String::length).max().orElse(0);
    list.add(new Columns.Column("source", sourceWidth, false));
    for (Parameter p : space.parameters()) {
      list.add(new Columns.Column(p.name(), valueWidth(p), false));
    }
    list.add(new Columns.Column("state", "interrupted".length(), false));
    list.add(new Columns.Column(objective.metric(), NUMBER_WIDTH, true));
    list.add(new Columns.Column("best", NUMBER_WIDTH, true));
    list.add(new Columns.Column("elapsed", 5, true));
    this.columns = new Columns(list);
  }

  /** A printer for {@code study}'s parameters, metric and pool, counting time from now. */
  public static ProgressPrinter forStudy(PrintStream out, Study study) {
    return new ProgressPrinter(
        out,
        study.spec().searchSpace(),
        study.spec().objective(),
        study.spec().optimizers(),
        Instant.now());
  }

  @Override
  public void resumed(List<TrialRecord> earlier) {
    long interrupted = earlier.stream().filter(t -> t.state() == TrialState.INTERRUPTED).count();
    out.printf(
        "resumed: %d earlier %s recovered, %d of them interrupted%n",
        earlier.size(), earlier.size() == 1 ? "trial" : "trials", interrupted);
  }

  @Override
  public void trialStarted(TrialRecord trial) {
    print(trial, "started", "", "", trial.startedAt(), startMark(trial));
  }

  @Override
  public void trialEnded(TrialRecord trial, TrialRecord best) {
    String value = trial.objective() == null ? "-" : CompactNumber.format(trial.objective());
    String bestValue =
        best == null || best.objective() == null ? "-" : CompactNumber.format(best.objective());
    print(
        trial,
        trial.state().name().toLowerCase(Locale.ROOT),
        value,
        bestValue,
        trial.finishedAt(),
        trial.reason());
  }

  private void print(
      TrialRecord trial, String state, String value, String best, Instant at, String reason) {
    if (!headerPrinted) {
      out.println(columns.header());
      headerPrinted = true;
    }
    var cells = new ArrayList<String>();
    cells.add(Integer.toString(trial.number()));
    cells.add(trial.source() == null ? "-" : trial.source());
    for (Parameter p : space.parameters()) {
      Object v = trial.parameters().get(p.name());
      cells.add(v == null ? "-" : CompactNumber.value(v));
    }
    cells.add(state);
    cells.add(value);
    cells.add(best);
    cells.add(at == null ? "--:--" : minutesSeconds(Duration.between(start, at)));
    String line = columns.row(cells);
    out.println(reason == null ? line : line + "  " + reason);
  }

  /**
   * {@code llm fallback: timeout} when the LLM integrator left this trial's round to its fallback.
   */
  /**
   * What a start line adds: {@code computed ahead} for a trial that runs an accepted speculative
   * proposal, else the LLM fallback mark, if any.
   */
  private static String startMark(TrialRecord trial) {
    SelectionRecord selection = trial.selection();
    if (selection != null && selection.speculative()) {
      return "computed ahead";
    }
    return fallbackMark(trial);
  }

  private static String fallbackMark(TrialRecord trial) {
    SelectionRecord selection = trial.selection();
    if (selection == null
        || !PoolMembers.LLM.equals(selection.integrator())
        || selection.fallbackCategory() == null) {
      return null;
    }
    return "llm fallback: " + selection.fallbackCategory();
  }

  /** {@code mm:ss}; minutes grow past two digits rather than wrapping into hours. */
  static String minutesSeconds(Duration d) {
    long seconds = Math.max(0, d.getSeconds());
    return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
  }

  /** The widest value of {@code p} as {@link CompactNumber} writes it. */
  private static int valueWidth(Parameter p) {
    if (p instanceof FloatParameter f) {
      // "1.235e-05" and "0.0001235" are the widest shapes: nine characters, ten with a sign.
      return f.min() < 0 ? 10 : 9;
    }
    if (p instanceof IntParameter i) {
      return Math.max(Long.toString(i.min()).length(), Long.toString(i.top()).length());
    }
    return ((CategoricalParameter) p)
        .values().stream().mapToInt(v -> CompactNumber.value(v).length()).max().orElse(1);
  }
}
