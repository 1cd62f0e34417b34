package dev.asap.engine.speculation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One speculation, as the execution log keeps it: what was predicted for a running trial, what it
 * really reported, the verdict of the accept test, what the speculative work cost, and a
 * counterfactual computed off the critical path.
 *
 * @param study the study's name
 * @param subject the number of the running trial whose value was predicted
 * @param at when the verdict was reached (the subject's end, or later when the prediction was)
 * @param predicted the predicted objective value of the subject (objective units, not loss)
 * @param predictedStddev the prediction's standard deviation, or {@code null} when unknown
 * @param actual the real objective value, or {@code null} when the subject produced none
 * @param relativeError {@code |actual - predicted| / max(|actual|, epsilon)}, or {@code null}
 * @param tau the threshold the test used
 * @param epsilon the guard the test used
 * @param verdict what became of the speculative proposal
 * @param source the pool member whose proposal the speculation chose, or {@code null} when it had
 *     not finished
 * @param proposal the speculative proposal's parameters, or {@code null} when it had not finished
 * @param optimizerMillis time the pool spent on the speculative round (prediction included)
 * @param llmMillis time the integrator's model spent on the speculative round
 * @param hiddenMillis speculative work that overlapped the subject's evaluation and so left the
 *     critical path (0 unless accepted)
 * @param wastedMillis speculative work thrown away (0 when accepted)
 * @param counterfactual what the real history would have produced, or {@code null} when it could
 *     not be computed
 * @param rankShift how far the prediction moved the subject among the losses observed before it:
 *     the difference between the fraction of them below the predicted loss and the fraction below
 *     the real one (ties half), as an absolute value from 0 to 1; {@code null} without both values.
 *     It is the disagreement between the history the speculative round saw and the real one, in the
 *     terms every optimizer reads a history in: which trials are better than which
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionLogEntry(
    String study,
    int subject,
    Instant at,
    double predicted,
    Double predictedStddev,
    Double actual,
    Double relativeError,
    double tau,
    double epsilon,
    SpeculationVerdict verdict,
    String source,
    Map<String, Object> proposal,
    long optimizerMillis,
    long llmMillis,
    long hiddenMillis,
    long wastedMillis,
    Counterfactual counterfactual,
    Double rankShift) {

  /** An entry without a rank shift. */
  public ExecutionLogEntry(
      String study,
      int subject,
      Instant at,
      double predicted,
      Double predictedStddev,
      Double actual,
      Double relativeError,
      double tau,
      double epsilon,
      SpeculationVerdict verdict,
      String source,
      Map<String, Object> proposal,
      long optimizerMillis,
      long llmMillis,
      long hiddenMillis,
      long wastedMillis,
      Counterfactual counterfactual) {
    this(
        study,
        subject,
        at,
        predicted,
        predictedStddev,
        actual,
        relativeError,
        tau,
        epsilon,
        verdict,
        source,
        proposal,
        optimizerMillis,
        llmMillis,
        hiddenMillis,
        wastedMillis,
        counterfactual,
        null);
  }

  public ExecutionLogEntry {
    proposal =
        proposal == null
            ? null
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(proposal));
  }

  /** This entry with its counterfactual. */
  public ExecutionLogEntry withCounterfactual(Counterfactual c) {
    return new ExecutionLogEntry(
        study,
        subject,
        at,
        predicted,
        predictedStddev,
        actual,
        relativeError,
        tau,
        epsilon,
        verdict,
        source,
        proposal,
        optimizerMillis,
        llmMillis,
        hiddenMillis,
        wastedMillis,
        c,
        rankShift);
  }

  /**
   * What accepting this speculation is taken to cost, in ranks of the observed losses: the larger
   * of its {@link #rankShift()} and its counterfactual's {@code gap} (negative gaps count as 0);
   * {@code null} when neither is known.
   */
  public Double cost() {
    Double gap = counterfactual == null ? null : counterfactual.gap();
    boolean hasGap = gap != null && gap >= -1 && gap <= 1;
    // A rank shift outside [0, 1] cannot come from the loop: a damaged or forged line.
    boolean hasShift = rankShift != null && rankShift >= 0 && rankShift <= 1;
    if (!hasGap && !hasShift) {
      return null;
    }
    return Math.max(hasShift ? rankShift : 0, hasGap ? Math.max(0, gap) : 0);
  }

  /**
   * The proposal the same pool member, with the same seed, makes from the real history (the real
   * value in place of the prediction), and how far the speculative proposal is from it.
   *
   * @param proposal the counterfactual proposal's parameters
   * @param distance Euclidean distance between the two proposals in the unit cube of the search
   *     space, divided by the square root of its dimension, so within [0, 1]
   * @param predictedLossSpeculative the pool's predicted loss at the speculative proposal, on the
   *     real history, or {@code null} when no member has a surrogate model
   * @param predictedLossCounterfactual the same at the counterfactual proposal
   * @param gap how many ranks among the losses observed so far the speculative proposal's predicted
   *     loss lies behind the counterfactual's, as a fraction of the observations (from -1 to 1):
   *     positive when the speculative proposal is expected to be worse, 0.1 meaning a tenth of the
   *     history lies between the two; {@code null} without a surrogate. Ranks rather than loss
   *     units, because late in a study the choices that matter differ by little next to the spread
   *     of all losses seen
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Counterfactual(
      Map<String, Object> proposal,
      double distance,
      Double predictedLossSpeculative,
      Double predictedLossCounterfactual,
      Double gap) {
    public Counterfactual {
      proposal =
          proposal == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(proposal));
    }
  }
}
