package dev.asap.engine.space;

/**
 * One dimension of a search space.
 *
 * <p>Every parameter maps its values to and from the unit interval, so that optimizers can work on
 * the unit cube without knowing the parameter's kind. Discrete parameters (integers, categories)
 * split the interval into equal bins, one per value; {@link #fromUnit(double)} of any point in a
 * bin gives that bin's value, and {@link #toUnit(Object)} gives the bin's centre.
 */
public sealed interface Parameter permits FloatParameter, IntParameter, CategoricalParameter {

  /** The parameter's name, unique within its search space. */
  String name();

  /** Maps a value of this parameter to [0, 1]. */
  double toUnit(Object value);

  /** Maps a point of [0, 1] (clamped) to a value of this parameter. */
  Object fromUnit(double u);

  /** Number of distinct values, or {@code -1} for a continuous parameter. */
  long cardinality();

  /**
   * Checks and normalizes a value: floats become {@link Double}, integers {@link Long}, categories
   * the declared value object.
   *
   * @throws IllegalArgumentException naming the parameter and the allowed values
   */
  Object normalize(Object value);

  /** Clamps a unit coordinate into [0, 1]; NaN maps to 0.5. */
  static double clampUnit(double u) {
    if (Double.isNaN(u)) {
      return 0.5;
    }
    return Math.min(1.0, Math.max(0.0, u));
  }
}
