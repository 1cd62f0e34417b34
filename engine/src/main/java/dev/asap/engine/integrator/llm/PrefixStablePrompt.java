package dev.asap.engine.integrator.llm;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.Parameter;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.PoolMembers;
import dev.asap.engine.study.StudySpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the LLM integrator's prompt so that consecutive rounds of a study share the longest
 * possible prefix, which lets the inference server reuse its cached attention state instead of
 * reading the whole prompt again.
 *
 * <p>The prompt has three parts in this order: a head that is fixed for the study, a history that
 * only grows (one line per ended trial, in the order trials ended, written with {@link
 * PromptNumber}'s fixed number format), and a tail with everything that changes every round (best
 * so far, running trials, the candidates, a per-optimizer record, the question). For rounds {@code
 * r < s} of one study, {@code head + history(r)} is a prefix of {@code head + history(s)}.
 *
 * <p>The history is bounded: past {@code maxHistoryLines} lines the oldest are dropped in blocks of
 * {@link #DROP_BLOCK}, so the prefix breaks once per block of new trials rather than every round.
 */
public final class PrefixStablePrompt {
  public static final int DEFAULT_MAX_HISTORY_LINES = 120;

  /** How many of the oldest history lines are dropped at once when the history is too long. */
  public static final int DROP_BLOCK = 40;

  /** What each pool member is good at, one line each, so the model can weigh their proposals. */
  private static final Map<String, String> STRENGTHS =
      Map.of(
          PoolMembers.RANDOM, "uniform random draws; unbiased exploration",
          PoolMembers.SOBOL, "evenly spread quasi-random points; covers the space early on",
          PoolMembers.TPE,
              "density of good versus bad trials; strong on mixed and categorical spaces",
          PoolMembers.GP, "Gaussian-process model; strong on smooth objectives with few trials",
          PoolMembers.CMAES, "evolution strategy; refines locally along narrow valleys",
          PoolMembers.FOREST, "random-forest model; robust to jumps and categorical effects");

  /**
   * How to weigh the evidence: part of the fixed head, so its length costs one read per study, not
   * one per round, while it gives a small model rules it could not infer from the numbers alone.
   */
  private static final String GUIDANCE =
      """
      How to choose:
      - Early on, when an optimizer has run few trials, give it a chance: the model-based \
      optimizers (tpe, gp, cmaes, forest) need a handful of results before their proposals mean \
      much.
      - Later, favour the optimizers whose recent trials ranked near the best; an optimizer whose \
      last several trials were all worse than the best should give way to another.
      - Prefer a candidate that differs from a FAILED configuration; configurations close to a \
      failure often fail too.
      - A prediction is the proposing optimizer's own estimate; it tends to be optimistic and is \
      only comparable across rounds of the same optimizer.
      - When the study has stalled for many trials, an exploring candidate (random, sobol) is \
      worth a trial.

      """;

  private final StudySpec spec;
  private final List<String> members;
  private final int maxHistoryLines;
  private final HistoryOrder order;
  private final String head;

  /** The prompt of {@code spec}'s study with the default history bound, in completion order. */
  public PrefixStablePrompt(StudySpec spec) {
    this(spec, DEFAULT_MAX_HISTORY_LINES, HistoryOrder.COMPLETION);
  }

  /**
   * @param maxHistoryLines the most history lines shown, at least {@link #DROP_BLOCK}
   * @param order completion order (prefix-stable) or, for the cache experiment, value order
   */
  public PrefixStablePrompt(StudySpec spec, int maxHistoryLines, HistoryOrder order) {
    if (maxHistoryLines < DROP_BLOCK) {
      throw new IllegalArgumentException(
          "maxHistoryLines must be at least " + DROP_BLOCK + ", got " + maxHistoryLines);
    }
    this.spec = spec;
    this.members = spec.optimizers();
    this.maxHistoryLines = maxHistoryLines;
    this.order = order;
    this.head = renderHead();
  }

  /** The whole prompt for a round with {@code candidates} (numbered from 1 in the tail). */
  public Prompt render(
      List<TrialRecord> ended, List<TrialRecord> running, List<Proposal> candidates) {
    return new Prompt(head, history(ended), tail(ended, running, candidates));
  }

  /** The head: fixed for the study. */
  public String head() {
    return head;
  }

  private String renderHead() {
    Objective objective = spec.objective();
    var text = new StringBuilder();
    text.append(
        "You choose the next trial of a hyperparameter search. Each round, several optimizers"
            + " each propose one configuration; pick the one most likely to improve the"
            + " objective, judging each optimizer by how its earlier trials did.\n\n");
    text.append("Objective: ")
        .append(objective.direction().word())
        .append(' ')
        .append(objective.metric())
        .append(".\n\nSearch space:\n");
    for (Parameter p : spec.searchSpace().parameters()) {
      text.append("- ").append(p.name()).append(": ").append(describe(p)).append('\n');
    }
    text.append("\nOptimizers:\n");
    for (String member : members) {
      text.append("- ")
          .append(member)
          .append(": ")
          .append(STRENGTHS.getOrDefault(member, "a pool member"))
          .append('\n');
    }
    text.append(
            "\nThe history lists the ended trials in the order they ended: number, optimizer,"
                + " configuration, then the ")
        .append(objective.metric())
        .append(" it reached or FAILED.\n\n");
    text.append(GUIDANCE);
    text.append(
        "Candidate 1 is the one a bandit over the optimizers' past results would run; pick"
            + " another when the history shows a better bet. Answer with JSON only: {\"pick\":"
            + " n}, where n is the number of the chosen candidate.\n");
    return text.toString();
  }

  private static String describe(Parameter p) {
    if (p instanceof FloatParameter f) {
      return "float from "
          + PromptNumber.format(f.min())
          + " to "
          + PromptNumber.format(f.max())
          + (f.log() ? ", log scale" : "");
    }
    if (p instanceof IntParameter i) {
      return "integer from "
          + i.min()
          + " to "
          + i.top()
          + (i.step() == 1 ? "" : " in steps of " + i.step())
          + (i.log() ? ", log scale" : "");
    }
    return "one of "
        + ((CategoricalParameter) p)
            .values().stream().map(PromptNumber::value).collect(Collectors.joining(", "));
  }

  /**
   * The history: a title, then one line per completed or failed trial. Stopped and interrupted
   * trials have no result to learn from and are left out.
   */
  public String history(List<TrialRecord> ended) {
    List<TrialRecord> lines =
        ended.stream()
            .filter(t -> t.state() == TrialState.COMPLETED || t.state() == TrialState.FAILED)
            .toList();
    int dropped = dropped(lines.size(), maxHistoryLines);
    List<TrialRecord> kept = new ArrayList<>(lines.subList(dropped, lines.size()));
    if (order == HistoryOrder.BY_VALUE) {
      Direction direction = spec.objective().direction();
      kept.sort(
          Comparator.comparingDouble(
                  (TrialRecord t) ->
                      t.state() == TrialState.COMPLETED
                          ? direction.toLoss(t.objective())
                          : Double.POSITIVE_INFINITY)
              .thenComparingInt(TrialRecord::number));
    }
    var text = new StringBuilder();
    text.append(
        dropped == 0 ? "History:\n" : "History (the " + dropped + " oldest trials not shown):\n");
    kept.forEach(t -> text.append(line(t)).append('\n'));
    return text.toString();
  }

  /** How many of {@code lines} oldest lines to drop: whole blocks, enough to fit {@code max}. */
  static int dropped(int lines, int max) {
    if (lines <= max) {
      return 0;
    }
    int excess = lines - max;
    return (excess + DROP_BLOCK - 1) / DROP_BLOCK * DROP_BLOCK;
  }

  /** {@code #12 tpe C=120.5 kernel=rbf -> val_accuracy=0.9812}, or {@code -> FAILED}. */
  private String line(TrialRecord t) {
    String result =
        t.state() == TrialState.COMPLETED
            ? spec.objective().metric() + "=" + PromptNumber.format(t.objective())
            : "FAILED";
    return "#"
        + t.number()
        + " "
        + t.source()
        + " "
        + configuration(t.parameters())
        + " -> "
        + result;
  }

  private String configuration(Map<String, Object> values) {
    return spec.searchSpace().parameters().stream()
        .map(p -> p.name() + "=" + PromptNumber.value(values.get(p.name())))
        .collect(Collectors.joining(" "));
  }

  /**
   * The tail: the state of the study now, the numbered candidates and the question. It is kept
   * short because every token of it is read afresh each round: running trials by number and source
   * only, one line per candidate. How each optimizer has fared is left to the history (it names
   * each trial's optimizer) and to the candidates' order (the bandit's choice first).
   */
  public String tail(
      List<TrialRecord> ended, List<TrialRecord> running, List<Proposal> candidates) {
    Objective objective = spec.objective();
    List<TrialRecord> completed =
        ended.stream().filter(t -> t.state() == TrialState.COMPLETED).toList();
    var text = new StringBuilder("\nBest so far: ");
    TrialRecord best = best(completed, objective.direction());
    text.append(
            best == null
                ? "none yet"
                : "#"
                    + best.number()
                    + " "
                    + best.source()
                    + " "
                    + objective.metric()
                    + "="
                    + PromptNumber.format(best.objective()))
        .append('\n');
    text.append("Running: ")
        .append(
            running.isEmpty()
                ? "none"
                : running.stream()
                    .map(t -> "#" + t.number() + " " + t.source())
                    .collect(Collectors.joining(", ")))
        .append('\n');
    text.append("Candidates:\n");
    for (int i = 0; i < candidates.size(); i++) {
      Proposal p = candidates.get(i);
      text.append(i + 1)
          .append(". ")
          .append(p.source())
          .append(' ')
          .append(configuration(p.configuration().values()))
          .append(prediction(p))
          .append('\n');
    }
    text.append("Answer {\"pick\": n} with n from 1 to ").append(candidates.size()).append(".\n");
    return text.toString();
  }

  private static TrialRecord best(List<TrialRecord> completed, Direction direction) {
    TrialRecord best = null;
    for (TrialRecord t : completed) {
      if (best == null || direction.better(t.objective(), best.objective())) {
        best = t;
      }
    }
    return best;
  }

  /** The proposer's own prediction in the objective's units, or nothing when it made none. */
  private String prediction(Proposal p) {
    if (p.prediction() == null) {
      return "";
    }
    double value = spec.objective().direction().fromLoss(p.prediction().mean());
    return ", predicts "
        + PromptNumber.format(value)
        + " ± "
        + PromptNumber.format(p.prediction().stddev());
  }
}
