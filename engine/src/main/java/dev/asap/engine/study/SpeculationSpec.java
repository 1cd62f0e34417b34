package dev.asap.engine.study;

/**
 * The study's {@code speculation} settings: whether the engine computes the next proposal while a
 * trial runs, from a predicted value, and how far the real value may stray from the prediction
 * before that proposal is discarded.
 *
 * @param enabled whether to speculate at all
 * @param tau the accept threshold on the relative error, or {@code null} for "auto": the value the
 *     Self-Tuner's state gives this study (or its default), else {@link #DEFAULT_TAU}
 * @param epsilon the smallest scale the relative error divides by, guarding values near zero
 */
public record SpeculationSpec(boolean enabled, Double tau, double epsilon) {
  /** The accept threshold used when neither the study nor the Self-Tuner names one. */
  public static final double DEFAULT_TAU = 0.1;

  /** The default guard against values near zero. */
  public static final double DEFAULT_EPSILON = 1e-6;

  /** No speculation: every proposal is computed after the trial before it has reported. */
  public static SpeculationSpec off() {
    return new SpeculationSpec(false, null, DEFAULT_EPSILON);
  }

  /** Speculation with the threshold from the Self-Tuner ("auto"). */
  public static SpeculationSpec auto() {
    return new SpeculationSpec(true, null, DEFAULT_EPSILON);
  }

  /** Speculation with a fixed threshold, which the Self-Tuner does not change. */
  public static SpeculationSpec fixed(double tau) {
    return new SpeculationSpec(true, tau, DEFAULT_EPSILON);
  }
}
