package dev.asap.engine.speculation;

/** Where the study runner reads the accept threshold τ before each accept test. */
@FunctionalInterface
public interface ThresholdSource {

  /** The threshold for {@code study} now. */
  double tau(String study);

  /** The same threshold for every study, always. */
  static ThresholdSource fixed(double tau) {
    return study -> tau;
  }
}
