package dev.asap.engine.optimizer;

import dev.asap.engine.space.Configuration;

/**
 * One optimizer's candidate for a free trial slot.
 *
 * @param configuration the proposed configuration
 * @param source the name of the optimizer that proposed it
 * @param prediction the proposer's own prediction of the loss there, or {@code null} when it has no
 *     surrogate model (random search) or no model yet (start-up trials)
 */
public record Proposal(Configuration configuration, String source, Prediction prediction) {}
