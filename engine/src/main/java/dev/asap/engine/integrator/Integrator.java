package dev.asap.engine.integrator;

import dev.asap.engine.optimizer.Proposal;
import java.util.List;

/**
 * Chooses which pool member's proposal runs in a free slot.
 *
 * <p>Integrators read their evidence from {@link SelectionContext#ended()} each round rather than
 * keeping it: the history is the only state, so a resumed study chooses exactly as an uninterrupted
 * one would have.
 */
public interface Integrator {

  /** The name this integrator goes by in study files and the history. */
  String name();

  /**
   * Picks one of {@code candidates} (never empty; already validated and distinct).
   *
   * @return the choice, within {@code [0, candidates.size())}
   */
  Selection select(SelectionContext context, List<Proposal> candidates);
}
