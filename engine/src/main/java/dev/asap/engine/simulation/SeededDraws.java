package dev.asap.engine.simulation;

import java.util.SplittableRandom;

/**
 * Random draws addressed by a seed and an index rather than by a generator's position, so that a
 * simulated trial's cost depends on its number and not on the order in which trials were started.
 */
final class SeededDraws {
  private SeededDraws() {}

  /**
   * A generator of its own for draw {@code index} under {@code seed}: the pair is scrambled with
   * SplitMix64's finalizer, because seeding {@link SplittableRandom} with {@code seed + index}
   * directly would make neighbouring indices share all but one of their draws.
   */
  static SplittableRandom generator(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new SplittableRandom(z ^ (z >>> 31));
  }

  /** A standard normal draw (Box-Muller), the same for the same seed and index. */
  static double standardNormal(long seed, long index) {
    SplittableRandom random = generator(seed, index);
    double u1 = 1.0 - random.nextDouble(); // in (0, 1], so the logarithm is finite
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
