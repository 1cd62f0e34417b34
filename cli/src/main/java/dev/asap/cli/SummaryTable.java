package dev.asap.cli;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.Objective;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The report printed when a study stops: why, how its trials ended, which pool members supplied
 * them, the best few trials, and the best configuration in a form that can be copied out.
 */
public final class SummaryTable {
  private final Objective objective;
  private final int top;

  /**
   * A report that ranks trials by {@code objective}.
   *
   * @param objective the metric the trials are ranked by, and in which direction
   * @param top how many trials the table lists at most
   */
  public SummaryTable(Objective objective, int top) {
    if (top < 1) {
      throw new IllegalArgumentException("top must be at least 1, got " + top);
    }
    this.objective = objective;
    this.top = top;
  }

  /** The whole report, lines ending in {@code \n}. */
  public String render(StudyResult result) {
    var text = new StringBuilder();
    text.append(
        String.format(
            "stopped after %s (%s): %s\n",
            ProgressPrinter.minutesSeconds(result.elapsed()),
            result.stopReason().name().toLowerCase(Locale.ROOT).replace('_', '-'),
            result.detail()));
    text.append(counts(result.trials())).append('\n');
    text.append(chosen(result.chosenBySource())).append("\n\n");
    List<TrialRecord> ranked = ranked(result.trials(), objective.direction());
    if (ranked.isEmpty()) {
      text.append("best: none, no trial completed\n");
      return text.toString();
    }
    text.append(table(ranked.subList(0, Math.min(top, ranked.size())))).append('\n');
    text.append(best(result.best() == null ? ranked.get(0) : result.best()));
    return text.toString();
  }

  /** Completed trials, best first; equal values keep trial-number order. */
  static List<TrialRecord> ranked(List<TrialRecord> trials, Direction direction) {
    Comparator<TrialRecord> byLoss =
        Comparator.comparingDouble(t -> direction.toLoss(t.objective()));
    return trials.stream()
        .filter(t -> t.state() == TrialState.COMPLETED && t.objective() != null)
        .sorted(byLoss.thenComparingInt(TrialRecord::number))
        .toList();
  }

  private static String counts(List<TrialRecord> trials) {
    var byState = new EnumMap<TrialState, Integer>(TrialState.class);
    trials.forEach(t -> byState.merge(t.state(), 1, Integer::sum));
    var parts = new StringJoiner(", ", " (", ")").setEmptyValue("");
    byState.forEach((state, n) -> parts.add(n + " " + state.name().toLowerCase(Locale.ROOT)));
    return "trials: " + trials.size() + parts;
  }

  private static String chosen(Map<String, Long> bySource) {
    var parts = new StringJoiner(", ").setEmptyValue("none");
    bySource.forEach((source, n) -> parts.add(source + " " + n));
    return "chosen by source: " + parts;
  }

  private String table(List<TrialRecord> rows) {
    var names = new LinkedHashSet<String>();
    rows.forEach(t -> names.addAll(t.parameters().keySet()));
    var headers = new ArrayList<>(List.of("rank", "trial", "source", objective.metric()));
    var right = new ArrayList<>(List.of(true, true, false, true));
    for (String name : names) {
      headers.add(name);
      right.add(false);
    }
    headers.add("seconds");
    right.add(true);

    var cells = new ArrayList<List<String>>();
    for (int i = 0; i < rows.size(); i++) {
      TrialRecord t = rows.get(i);
      var row = new ArrayList<String>();
      row.add(Integer.toString(i + 1));
      row.add(Integer.toString(t.number()));
      row.add(t.source() == null ? "-" : t.source());
      row.add(CompactNumber.format(t.objective()));
      for (String name : names) {
        Object v = t.parameters().get(name);
        row.add(v == null ? "-" : CompactNumber.value(v));
      }
      double seconds = t.durationSeconds();
      row.add(Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f", seconds));
      cells.add(row);
    }

    Columns columns = Columns.fitted(headers, right, cells);
    var text = new StringBuilder();
    text.append(
        String.format(
            "top %d by %s (%s):\n", rows.size(), objective.metric(), objective.direction().word()));
    text.append("  ").append(columns.header()).append('\n');
    cells.forEach(row -> text.append("  ").append(columns.row(row)).append('\n'));
    return text.toString();
  }

  /** Full-precision values: this block is what gets copied into the next training run. */
  private String best(TrialRecord best) {
    var text = new StringBuilder();
    text.append(
        String.format(
            "best: trial %d, %s = %s\n",
            best.number(), objective.metric(), CompactNumber.format(best.objective())));
    best.parameters()
        .forEach((name, v) -> text.append("  ").append(name).append(": ").append(v).append('\n'));
    return text.toString();
  }
}
