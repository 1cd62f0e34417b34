package dev.asap.engine.loop;

import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.integrator.Integrator;
import dev.asap.engine.integrator.Selection;
import dev.asap.engine.integrator.SelectionContext;
import dev.asap.engine.integrator.SourceBandit;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.optimizer.RandomSearch;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.study.StudySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round for a free slot: every pool member proposes, proposals that are invalid or already
 * tried are dropped, and the integrator picks one of the rest. The same round runs on the critical
 * path, from the real history, and ahead of time, from a history with a predicted value in it.
 */
final class Round {
  private static final Logger LOG = LoggerFactory.getLogger(Round.class);

  /**
   * What a round chose.
   *
   * @param chosen the proposal to run
   * @param selection how it was chosen, as the journal keeps it
   */
  record Outcome(Proposal chosen, SelectionRecord selection) {
    /** What the integrator's model took, in milliseconds; 0 without one. */
    long llmMillis() {
      return selection.llm() == null ? 0 : selection.llm().totalMillis();
    }
  }

  private Round() {}

  /**
   * Runs a round on {@code context}'s state; {@code null} when no untried configuration could be
   * found.
   */
  static Outcome run(
      StudySpec spec,
      List<Optimizer> pool,
      ParallelProposals proposals,
      RandomSearch fallback,
      Integrator integrator,
      SelectionContext context) {
    var state = context.state();
    var tried = state.triedKeys();
    long proposeStart = System.nanoTime();
    var timedOut = new ArrayList<String>();
    Map<Optimizer, Proposal> proposed = proposals.gather(state, timedOut);
    var candidates = new ArrayList<Proposal>();
    var keys = new HashSet<String>();
    for (Optimizer optimizer : pool) {
      Proposal p = proposed.get(optimizer);
      Configuration c = p == null ? null : validated(spec, p);
      if (c != null && !tried.contains(c.key()) && keys.add(c.key())) {
        candidates.add(new Proposal(c, optimizer.name(), p.prediction()));
      }
    }
    long proposeMillis = (System.nanoTime() - proposeStart) / 1_000_000;
    String fallbackReason = null;
    if (candidates.isEmpty()) {
      Proposal p = fallback.propose(state);
      if (tried.contains(p.configuration().key())) {
        return null;
      }
      candidates.add(p);
      fallbackReason = "no pool member proposed an untried configuration";
    }
    long selectStart = System.nanoTime();
    Selection selection = select(integrator, context, candidates);
    long selectMillis = (System.nanoTime() - selectStart) / 1_000_000;
    if (fallbackReason == null) {
      fallbackReason = selection.fallbackReason();
    }
    return new Outcome(
        candidates.get(selection.index()),
        new SelectionRecord(
            integrator.name(),
            candidates.stream().map(Proposal::source).toList(),
            proposeMillis,
            selectMillis,
            fallbackReason,
            timedOut,
            selection.llm()));
  }

  private static Selection select(
      Integrator integrator, SelectionContext context, List<Proposal> candidates) {
    try {
      Selection s = integrator.select(context, candidates);
      if (s.index() < 0 || s.index() >= candidates.size()) {
        return rescued(
            context,
            candidates,
            integrator.name() + " chose index " + s.index() + " of " + candidates.size());
      }
      return s;
    } catch (RuntimeException e) {
      LOG.warn("integrator {} failed; the bandit decides this round", integrator.name(), e);
      return rescued(context, candidates, integrator.name() + " failed: " + e.getMessage());
    }
  }

  /**
   * The bandit's choice for a round the integrator could not decide, with {@code reason} recorded;
   * pool order alone would always favour the first member.
   */
  private static Selection rescued(
      SelectionContext context, List<Proposal> candidates, String reason) {
    try {
      int index = new SourceBandit().select(context, candidates).index();
      if (index >= 0 && index < candidates.size()) {
        return new Selection(index, reason);
      }
    } catch (RuntimeException e) {
      LOG.warn("the bandit failed too; taking the first candidate", e);
    }
    return new Selection(0, reason);
  }

  /** The proposal's configuration re-checked against the space, or null when it is invalid. */
  private static Configuration validated(StudySpec spec, Proposal p) {
    try {
      return spec.searchSpace().configuration(p.configuration().values());
    } catch (RuntimeException e) {
      LOG.warn(
          "optimizer {} proposed an invalid configuration {}: {}",
          p.source(),
          p.configuration(),
          e.getMessage());
      return null;
    }
  }
}
