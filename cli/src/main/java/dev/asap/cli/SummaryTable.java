package dev.asap.cli;

import dev.asap.engine.history.LlmCall;
import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.integrator.llm.FallbackCategory;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.loop.WallClock;
import dev.asap.engine.speculation.SpeculationVerdict;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.PoolMembers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The report printed when a study stops: why, how its trials ended, which pool members supplied
 * them, what the LLM integrator cost when it chose, the best few trials, and the best configuration
 * in a form that can be copied out.
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
    text.append(chosen(result.chosenBySource())).append('\n');
    String llm = llm(result.trials());
    if (llm != null) {
      text.append(llm).append('\n');
    }
    text.append(time(result.wallClock())).append('\n');
    String speculation = speculation(result.wallClock());
    if (speculation != null) {
      text.append(speculation).append('\n');
    }
    text.append('\n');
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

  /**
   * The LLM integrator's record, or null when it chose no trial: rounds, fallbacks by category, and
   * the mean cost of the calls whose figures the backend reported.
   */
  static String llm(List<TrialRecord> trials) {
    List<SelectionRecord> rounds =
        trials.stream()
            .map(TrialRecord::selection)
            .filter(s -> s != null && PoolMembers.LLM.equals(s.integrator()))
            .toList();
    if (rounds.isEmpty()) {
      return null;
    }
    var byCategory = new LinkedHashMap<String, Integer>();
    for (FallbackCategory c : FallbackCategory.values()) {
      byCategory.put(c.token(), 0);
    }
    int other = 0;
    for (SelectionRecord s : rounds) {
      String category = s.fallbackCategory();
      if (category != null && byCategory.containsKey(category)) {
        byCategory.merge(category, 1, Integer::sum);
      } else if (category != null) {
        other++;
      }
    }
    var fallbacks = new StringJoiner(", ", " (", ")").setEmptyValue("");
    byCategory.forEach(
        (category, n) -> {
          if (n > 0) {
            fallbacks.add(category + " " + n);
          }
        });
    if (other > 0) {
      fallbacks.add("other " + other);
    }
    int fallbackCount = byCategory.values().stream().mapToInt(Integer::intValue).sum() + other;
    List<LlmCall> calls = rounds.stream().map(SelectionRecord::llm).filter(c -> c != null).toList();
    long prompt = 0;
    long cachedPrompt = 0;
    long cached = 0;
    int prompts = 0;
    for (LlmCall c : calls) {
      if (c.promptTokens() != null) {
        prompt += c.promptTokens();
        prompts++;
        if (c.cachedTokens() != null) {
          cachedPrompt += c.promptTokens();
          cached += c.cachedTokens();
        }
      }
    }
    long answered = calls.stream().filter(c -> c.pick() != null).count();
    long first = calls.stream().filter(c -> c.pick() != null && c.pick() == 1).count();
    String picks =
        answered == 0
            ? ""
            : String.format(
                Locale.ROOT, "; picked the bandit's choice in %d of %d answers", first, answered);
    return String.format(
        Locale.ROOT,
        "llm: %d %s, %d %s%s; mean prompt %s tokens, %s cached; mean prefill %s, decode %s%s",
        rounds.size(),
        rounds.size() == 1 ? "round" : "rounds",
        fallbackCount,
        fallbackCount == 1 ? "fallback" : "fallbacks",
        fallbacks,
        prompts == 0 ? "-" : String.format(Locale.ROOT, "%.0f", (double) prompt / prompts),
        cachedPrompt == 0
            ? "-"
            : String.format(Locale.ROOT, "%.1f%%", 100.0 * cached / cachedPrompt),
        meanMillis(calls.stream().map(LlmCall::prefillMillis).toList()),
        meanMillis(calls.stream().map(LlmCall::decodeMillis).toList()),
        picks);
  }

  /** Where the time went: evaluation, and the serial overhead with what it was spent on. */
  static String time(WallClock clock) {
    return String.format(
        Locale.ROOT,
        "time: trials ran %s; slots stood idle %s between trials (critical path: optimizers %s,"
            + " llm %s)",
        seconds(clock.evaluation()),
        seconds(clock.serialOverhead()),
        seconds(clock.optimizer()),
        seconds(clock.llm()));
  }

  /** The speculations' verdicts and what they hid and wasted, or null when there were none. */
  static String speculation(WallClock clock) {
    if (clock.speculationCount() == 0) {
      return null;
    }
    var others = new StringJoiner(", ", " (", ")").setEmptyValue("");
    clock
        .speculations()
        .forEach(
            (verdict, n) -> {
              if (verdict != SpeculationVerdict.ACCEPTED && n > 0) {
                others.add(verdict.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + n);
              }
            });
    return String.format(
        Locale.ROOT,
        "speculation: %d of %d accepted%s; hid %s of optimizer and llm time, wasted %s",
        clock.accepted(),
        clock.speculationCount(),
        others,
        seconds(clock.hidden()),
        seconds(clock.wasted()));
  }

  private static String seconds(java.time.Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String meanMillis(List<Double> values) {
    double[] known =
        values.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
    if (known.length == 0) {
      return "-";
    }
    return String.format(
        Locale.ROOT, "%.1f ms", java.util.Arrays.stream(known).average().orElseThrow());
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
