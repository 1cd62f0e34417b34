package dev.asap.engine.optimizer;

import dev.asap.engine.space.Configuration;
import java.util.Optional;

/**
 * A member of the optimizer pool: proposes the next configuration from the study's state.
 *
 * <p>Every round the engine asks every pool member, and the integrator runs one of the proposals.
 * An optimizer therefore learns from every finished trial, whoever proposed it: the state holds
 * them all. Optimizers minimize {@link Observation#loss()}; the engine turns a maximized metric
 * into a loss. A proposal should avoid {@link OptimizationState#pending()} configurations so that
 * parallel slots get distinct work; the engine still rejects any configuration already tried.
 *
 * <p>Instances are used from one thread at a time, and are seeded: the same seed and the same
 * sequence of states give the same proposals.
 */
public interface Optimizer {

  /** The name this optimizer goes by in study files, the history and the prompt. */
  String name();

  /** Proposes one configuration for a free slot. */
  Proposal propose(OptimizationState state);

  /**
   * This optimizer's prediction of the loss at {@code configuration}, given {@code state}; empty
   * when it has no surrogate model.
   */
  default Optional<Prediction> predict(OptimizationState state, Configuration configuration) {
    return Optional.empty();
  }

  /**
   * An independent optimizer in this one's exact state, random generator included: the copy
   * proposes from a state what this one would have, and calls to either leave the other as it was.
   * Speculation proposes ahead with copies, so the pool itself never sees a predicted value.
   *
   * @throws UnsupportedOperationException when this optimizer cannot be copied; speculation then
   *     uses a fresh member of the same kind instead
   */
  default Optimizer copy() {
    throw new UnsupportedOperationException(name() + " cannot be copied");
  }
}
