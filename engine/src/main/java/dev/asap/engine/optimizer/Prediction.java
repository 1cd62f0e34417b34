package dev.asap.engine.optimizer;

/**
 * A surrogate model's belief about the loss at a configuration.
 *
 * @param mean predicted loss (minimization units, see {@link Observation#loss()})
 * @param stddev predictive standard deviation, non-negative
 */
public record Prediction(double mean, double stddev) {}
