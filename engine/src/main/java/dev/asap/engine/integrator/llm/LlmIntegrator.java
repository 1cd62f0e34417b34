package dev.asap.engine.integrator.llm;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.integrator.Integrator;
import dev.asap.engine.integrator.Selection;
import dev.asap.engine.integrator.SelectionContext;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.study.PoolMembers;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM integrator: shows a small language model the study so far and this round's candidates,
 * and runs the one it picks.
 *
 * <p>The model only ever chooses a number among the candidates the engine has already validated;
 * its text never becomes a configuration. When it gives no usable pick (unparsable answer, pick out
 * of range, timeout, gateway unreachable, HTTP error) the round goes to the fallback integrator,
 * normally the bandit, and the reason is recorded with its {@link FallbackCategory} token first. A
 * round with a single candidate has nothing to choose and asks nothing.
 *
 * <p>Like every integrator it keeps no state for its decisions: the prompt is rebuilt from the
 * history each round. It only remembers which fallback categories it has already warned about, so
 * that a gateway that is down logs one warning, not one per round.
 */
public final class LlmIntegrator implements Integrator {
  private static final Logger LOG = LoggerFactory.getLogger(LlmIntegrator.class);

  private final PrefixStablePrompt prompt;
  private final GatewayClient gateway;
  private final Integrator fallback;
  private final long seed;
  private final EnumSet<FallbackCategory> warned = EnumSet.noneOf(FallbackCategory.class);

  /**
   * @param prompt renders the study's prompt
   * @param gateway reaches the model
   * @param fallback decides the rounds the model does not
   * @param seed the study's seed; each round asks with {@code seed + the next trial's number}
   */
  public LlmIntegrator(
      PrefixStablePrompt prompt, GatewayClient gateway, Integrator fallback, long seed) {
    this.prompt = prompt;
    this.gateway = gateway;
    this.fallback = fallback;
    this.seed = seed;
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
    int preferred = fallback.select(context, candidates).index();
    List<Integer> shown = preferredFirst(candidates.size(), preferred);
    Prompt question =
        prompt.render(
            context.ended(), context.running(), shown.stream().map(candidates::get).toList());
    try {
      ChatReply reply = gateway.ask(question, candidates.size(), seed + nextTrial(context));
      int index = PickAnswer.index(reply.content(), candidates.size(), reply.call());
      return new Selection(shown.get(index), null, reply.call().withPick(index + 1));
    } catch (LlmFailure failure) {
      report(failure);
      return new Selection(preferred, failure.reason(), failure.call());
    }
  }

  /**
   * The order in which the candidates are shown: the fallback's choice first, then the others in
   * pool order. Small models lean towards the first option they read; listing the bandit's choice
   * there means that such a lean costs nothing against the bandit, and a model that reads the
   * history well can still pick another.
   */
  static List<Integer> preferredFirst(int size, int preferred) {
    var order = new java.util.ArrayList<Integer>(size);
    order.add(preferred);
    for (int i = 0; i < size; i++) {
      if (i != preferred) {
        order.add(i);
      }
    }
    return order;
  }

  /** The number the chosen trial will get: one past the highest recorded. */
  private static int nextTrial(SelectionContext context) {
    return Stream.concat(context.ended().stream(), context.running().stream())
            .mapToInt(TrialRecord::number)
            .max()
            .orElse(-1)
        + 1;
  }

  private void report(LlmFailure failure) {
    if (warned.add(failure.category())) {
      LOG.warn(
          "the LLM gave no usable pick ({}); the {} integrator decides such rounds, and further"
              + " {} fallbacks are logged at debug level",
          failure.reason(),
          fallback.name(),
          failure.category().token());
    } else {
      LOG.debug("LLM fallback: {}", failure.reason());
    }
  }
}
