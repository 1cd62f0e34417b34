/**
 * Speculation: proposing the next trial before a running one has reported, from a predicted value,
 * and deciding when the real value arrives whether that proposal may stand.
 *
 * <p>Here: the {@link dev.asap.engine.speculation.RelativeErrorAcceptTest}, how a running trial's
 * value is predicted ({@link dev.asap.engine.speculation.ValuePredictor}), the execution log of
 * every speculation with its counterfactual ({@link dev.asap.engine.speculation.ExecutionLog}), and
 * the {@link dev.asap.engine.speculation.SelfTuner} that sets the accept threshold from those logs.
 * The study loop runs speculation with {@code dev.asap.engine.loop.Speculator}.
 */
package dev.asap.engine.speculation;
