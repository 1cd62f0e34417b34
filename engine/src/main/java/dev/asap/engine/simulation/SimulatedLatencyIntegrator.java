package dev.asap.engine.simulation;

import dev.asap.engine.history.LlmCall;
import dev.asap.engine.integrator.Integrator;
import dev.asap.engine.integrator.Selection;
import dev.asap.engine.integrator.SelectionContext;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.study.PoolMembers;
import java.time.Duration;
import java.util.List;

/**
 * The LLM integrator as a simulated study sees it: the choice of another integrator (normally the
 * bandit), at the time cost of an LLM round charged to a {@link VirtualClock}.
 *
 * <p>Why the other integrator's choice stands for the model's: the real LLM integrator lists the
 * bandit's choice first, and the embedded 135M-parameter model picked that first candidate in 30 of
 * 30 rounds measured ({@code docs/DESIGN.md}, "Candidate order"). With that model the choice is the
 * same and only the time differs, which is what this class reproduces. A larger model, which reads
 * the history and may pick another candidate, is not modelled here: a simulation with this class
 * says what the LLM's latency costs a study, not what a better model's choices would gain.
 *
 * <p>Like the real integrator, a round with a single candidate asks nothing and costs nothing. Each
 * answered round carries an {@link LlmCall} from backend {@code "simulated"} with the latency as
 * its total and pick 1 (the first candidate shown, as the embedded model answers); the token counts
 * and server timings are unknown. Charged inside {@link VirtualClock#measure}, the latency goes to
 * that measurement instead of the clock, as a round computed ahead would.
 */
public final class SimulatedLatencyIntegrator implements Integrator {
  /** The backend name recorded in each round's {@link LlmCall}. */
  public static final String BACKEND = "simulated";

  private final Integrator choice;
  private final LatencyModel latency;
  private final VirtualClock clock;

  /**
   * @param choice decides each round, as the model would have
   * @param latency how long each round takes
   * @param clock where the rounds' time is charged
   */
  public SimulatedLatencyIntegrator(Integrator choice, LatencyModel latency, VirtualClock clock) {
    this.choice = choice;
    this.latency = latency;
    this.clock = clock;
  }

  @Override
  public String name() {
    return PoolMembers.LLM;
  }

  @Override
  public Selection select(SelectionContext context, List<Proposal> candidates) {
    if (candidates.size() == 1) {
      return Selection.of(0);
    }
    Selection chosen = choice.select(context, candidates);
    Duration round = latency.next();
    clock.charge(round);
    return new Selection(
        chosen.index(),
        chosen.fallbackReason(),
        new LlmCall(BACKEND, null, null, null, null, round.toMillis(), 1));
  }
}
