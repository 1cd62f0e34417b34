package dev.asap.engine.speculation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses a study's accept threshold τ from its execution log: the largest τ whose accepted
 * speculations would, on average, have cost at most a bound, so that as much latency as possible is
 * hidden without steering the study noticeably worse.
 *
 * <p>The rule, exactly:
 *
 * <ul>
 *   <li>An entry is usable when its {@code relativeError} is a finite number {@code >= 0} and it
 *       has a {@linkplain ExecutionLogEntry#cost() cost}: the larger of its rank shift (how far the
 *       prediction moved the running trial among the losses observed before it) and its
 *       counterfactual's gap (how many ranks worse the speculative proposal is expected to be than
 *       the one the real value gives; negative counts as 0, so luck in one round does not pay for
 *       harm in another). No other entry counts. (The accept test never writes a negative error, so
 *       one is read as damage, not evidence.)
 *   <li>With fewer than {@code minEntries} usable entries there is no decision and the previous τ
 *       stays.
 *   <li>For a candidate τ the accepted set is every usable entry with {@code relativeError <= τ},
 *       the comparison the accept test makes; its cost is the mean cost over that set, and 0 for an
 *       empty set.
 *   <li>τ is feasible when its cost is at most {@code bound}. Costs are fractions of the history,
 *       so a bound of 0.05 lets an accepted speculation misplace the running trial, or its
 *       proposal, by a twentieth of the trials seen, on average.
 *   <li>The candidates are 0 and every distinct usable relativeError up to {@link #LARGEST_TAU}
 *       (the study file's own limit), since between two of them the accepted set does not change.
 *       The result is the largest feasible candidate, which accepts the most; when none is feasible
 *       it is 0, the smallest threshold the test allows.
 * </ul>
 *
 * <p>Every speculation gets a counterfactual, the rejected ones too, so the log also says what
 * accepting above the current τ would have cost: the tuner can raise τ as well as lower it.
 */
public final class SelfTuner {
  /** The default largest mean cost of an accepted speculation, as a fraction of the history. */
  public static final double DEFAULT_BOUND = 0.05;

  /** The largest τ the tuner sets: the largest a study file may set too. */
  public static final double LARGEST_TAU = 100;

  /** The default smallest number of usable entries that supports a decision. */
  public static final int DEFAULT_MIN_ENTRIES = 8;

  private final double bound;
  private final int minEntries;

  /**
   * Creates a tuner.
   *
   * @param bound the largest mean cost of accepted speculations; finite and {@code > 0}
   * @param minEntries the fewest usable entries that support a decision; at least 1
   */
  public SelfTuner(double bound, int minEntries) {
    if (!(bound > 0) || !Double.isFinite(bound)) {
      throw new IllegalArgumentException("bound must be finite and > 0, was " + bound);
    }
    if (minEntries < 1) {
      throw new IllegalArgumentException("minEntries must be at least 1, was " + minEntries);
    }
    this.bound = bound;
    this.minEntries = minEntries;
  }

  /** A tuner with {@link #DEFAULT_BOUND} and {@link #DEFAULT_MIN_ENTRIES}. */
  public SelfTuner() {
    this(DEFAULT_BOUND, DEFAULT_MIN_ENTRIES);
  }

  public double bound() {
    return bound;
  }

  public int minEntries() {
    return minEntries;
  }

  /**
   * The outcome of one tuning: τ and what it implies, or no decision for lack of evidence.
   *
   * @param decided whether there was enough evidence; when not, only {@code entries} is meaningful
   *     and the other numbers are NaN
   * @param entries the number of usable entries
   * @param tau the threshold chosen
   * @param acceptFraction the share of usable entries that τ accepts
   * @param cost the mean {@link ExecutionLogEntry#cost()} of the entries τ accepts
   * @param costIfAllAccepted the same over every usable entry
   */
  public record Decision(
      boolean decided,
      int entries,
      double tau,
      double acceptFraction,
      double cost,
      double costIfAllAccepted) {

    static Decision insufficient(int entries) {
      return new Decision(false, entries, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  /** τ for one study, from the entries of its execution log. */
  public Decision decide(List<ExecutionLogEntry> entries) {
    var usable = new ArrayList<Evidence>();
    for (ExecutionLogEntry entry : entries) {
      Evidence evidence = Evidence.of(entry);
      if (evidence != null) {
        usable.add(evidence);
      }
    }
    if (usable.size() < minEntries) {
      return Decision.insufficient(usable.size());
    }
    usable.sort(Comparator.comparingDouble(Evidence::error));

    // Walking up the sorted errors, each distinct error closes one candidate's accepted set.
    int n = usable.size();
    double[] prefixCost = new double[n + 1];
    for (int i = 0; i < n; i++) {
      prefixCost[i + 1] = prefixCost[i] + usable.get(i).cost();
    }
    int acceptedAtZero = 0;
    while (acceptedAtZero < n && usable.get(acceptedAtZero).error() <= 0) {
      acceptedAtZero++;
    }
    double tau = 0;
    int accepted = acceptedAtZero;
    for (int end = 1; end <= n; end++) {
      boolean lastOfItsValue = end == n || usable.get(end).error() > usable.get(end - 1).error();
      if (lastOfItsValue
          && usable.get(end - 1).error() <= LARGEST_TAU
          && prefixCost[end] / end <= bound) {
        tau = usable.get(end - 1).error();
        accepted = end;
      }
    }
    double cost = accepted == 0 ? 0 : prefixCost[accepted] / accepted;
    return new Decision(true, n, tau, (double) accepted / n, cost, prefixCost[n] / n);
  }

  /** The default τ for studies without their own: the same rule over all studies' entries. */
  public Decision decidePooled(Collection<? extends List<ExecutionLogEntry>> logs) {
    var all = new ArrayList<ExecutionLogEntry>();
    logs.forEach(all::addAll);
    return decide(all);
  }

  /** What one usable entry says: its relative error and what accepting it cost. */
  private record Evidence(double error, double cost) {
    static Evidence of(ExecutionLogEntry entry) {
      Double error = entry.relativeError();
      if (error == null || !Double.isFinite(error) || error < 0) {
        return null;
      }
      Double cost = entry.cost();
      return cost == null ? null : new Evidence(error, cost);
    }
  }
}
