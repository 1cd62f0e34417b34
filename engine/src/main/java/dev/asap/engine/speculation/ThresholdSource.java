package dev.asap.engine.speculation;

/**
 * Where the study loop gets the accept threshold τ before each accept test, so that a Self-Tuner
 * running beside a study can change it without stopping the study.
 */
public interface ThresholdSource {

  /** The threshold for {@code study}'s next accept test: finite and {@code >= 0}. */
  double tau(String study);

  /** The same τ for every study and every round, as a study with a fixed threshold needs. */
  static ThresholdSource fixed(double tau) {
    if (!(tau >= 0) || !Double.isFinite(tau)) {
      throw new IllegalArgumentException("tau must be finite and >= 0, was " + tau);
    }
    return study -> tau;
  }
}
