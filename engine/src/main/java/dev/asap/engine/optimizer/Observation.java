package dev.asap.engine.optimizer;

import dev.asap.engine.space.Configuration;

/**
 * A finished trial as the optimizers see it.
 *
 * @param configuration the configuration that ran
 * @param loss the objective turned into a value to minimize: the metric itself for {@code
 *     minimize}, its negation for {@code maximize}; always finite
 */
public record Observation(Configuration configuration, double loss) {
  public Observation {
    if (!Double.isFinite(loss)) {
      throw new IllegalArgumentException("an observation's loss must be finite, got " + loss);
    }
  }
}
