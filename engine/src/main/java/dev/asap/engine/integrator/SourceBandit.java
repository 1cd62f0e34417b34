package dev.asap.engine.integrator;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.study.Direction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The non-LLM integrator: an upper-confidence-bound bandit whose arms are the pool's members.
 *
 * <p>Each ended trial pays its source a reward in [0, 1]: a completed trial earns the fraction of
 * earlier completed trials it beat (so 1 for a new best), a failed one earns 0; stopped and
 * interrupted trials pay nothing. A source's score is its mean reward plus {@code c * sqrt(ln N /
 * n)}; a source never run yet scores infinity and is tried first, in pool order. The reward is
 * rank-based so that it does not depend on the objective's scale, and it compares with trials that
 * ended <em>earlier</em> so that model-based members are judged by whether they improve on the
 * study as it stood when they proposed.
 *
 * <p>Rewards are recomputed from the history every round (a few thousand trials cost milliseconds),
 * which keeps the bandit stateless and resume-safe.
 */
public final class SourceBandit implements Integrator {
  /** Exploration weight; rewards lie in [0, 1], so about 0.5 balances mean and bonus. */
  static final double EXPLORATION = 0.5;

  @Override
  public String name() {
    return "bandit";
  }

  /** Reward statistics of one source. */
  record Arm(double total, int pulls) {
    double mean() {
      return pulls == 0 ? 0 : total / pulls;
    }
  }

  /** The arms' statistics from the ended trials, in the order they ended. */
  static Map<String, Arm> arms(List<TrialRecord> ended, Direction direction) {
    var arms = new HashMap<String, Arm>();
    var earlier = new ArrayList<Double>();
    for (TrialRecord t : ended) {
      double reward;
      if (t.state() == TrialState.COMPLETED && t.objective() != null) {
        double loss = direction.toLoss(t.objective());
        long beaten = earlier.stream().filter(l -> loss < l).count();
        reward = earlier.isEmpty() ? 1.0 : (double) beaten / earlier.size();
        earlier.add(loss);
      } else if (t.state() == TrialState.FAILED) {
        reward = 0.0;
      } else {
        continue;
      }
      arms.merge(
          t.source(), new Arm(reward, 1), (a, b) -> new Arm(a.total + b.total, a.pulls + b.pulls));
    }
    return arms;
  }

  @Override
  public Selection select(SelectionContext context, List<Proposal> candidates) {
    Map<String, Arm> arms = arms(context.ended(), context.spec().objective().direction());
    var running = new HashMap<String, Integer>();
    context.running().forEach(t -> running.merge(t.source(), 1, Integer::sum));
    int total = arms.values().stream().mapToInt(Arm::pulls).sum() + context.running().size();
    int bestIndex = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < candidates.size(); i++) {
      String source = candidates.get(i).source();
      Arm arm = arms.getOrDefault(source, new Arm(0, 0));
      int n = arm.pulls() + running.getOrDefault(source, 0);
      double mean = arm.pulls() == 0 ? 0.5 : arm.mean();
      double score =
          n == 0
              ? Double.POSITIVE_INFINITY
              : mean + EXPLORATION * Math.sqrt(Math.log(Math.max(total, 2)) / n);
      if (score > bestScore) {
        bestScore = score;
        bestIndex = i;
      }
    }
    return Selection.of(bestIndex);
  }
}
