package dev.asap.engine.optimizer;

import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything an optimizer may read when it proposes: the search space, the finished trials in
 * completion order, and the configurations still running or already tried without a result.
 *
 * <p>The observation list only grows between calls (the study's history is append-only), so a
 * stateful optimizer may remember how many observations it has already absorbed.
 *
 * @param space the search space
 * @param observations completed trials, in completion order
 * @param pending configurations of trials that are running now; a proposal should differ from them
 * @param failed configurations that ran but produced no usable objective
 */
public record OptimizationState(
    SearchSpace space,
    List<Observation> observations,
    List<Configuration> pending,
    List<Configuration> failed) {

  public OptimizationState {
    observations = List.copyOf(observations);
    pending = List.copyOf(pending);
    failed = List.copyOf(failed);
  }

  /** A state with no history, for the first round. */
  public static OptimizationState empty(SearchSpace space) {
    return new OptimizationState(space, List.of(), List.of(), List.of());
  }

  /** The keys of every configuration already observed, running or failed. */
  public Set<String> triedKeys() {
    var keys = new HashSet<String>();
    observations.forEach(o -> keys.add(o.configuration().key()));
    pending.forEach(c -> keys.add(c.key()));
    failed.forEach(c -> keys.add(c.key()));
    return keys;
  }

  /** The lowest loss observed so far, or {@code +Infinity} when nothing has finished. */
  public double bestLoss() {
    return observations.stream()
        .mapToDouble(Observation::loss)
        .min()
        .orElse(Double.POSITIVE_INFINITY);
  }

  /** A copy with one more running configuration, for proposing several slots in a row. */
  public OptimizationState withPending(Configuration c) {
    var p = new java.util.ArrayList<>(pending);
    p.add(c);
    return new OptimizationState(space, observations, p, failed);
  }
}
