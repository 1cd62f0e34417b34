package dev.asap.engine.optimizer;

import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.SearchSpace;
import java.util.SplittableRandom;
import org.hipparchus.random.SobolSequenceGenerator;

/**
 * Scrambled Sobol points on the unit cube: space-filling like a grid in every projection, yet
 * randomized by the seed, so that the pool has a member that covers the space evenly early on.
 *
 * <p>The base sequence is Hipparchus's Sobol generator (Joe-Kuo direction numbers, Gray-code
 * order). Each coordinate is then cut to 32 bits and given a nested uniform (Owen) scramble: bit
 * {@code j}, counted from the most significant, is flipped or kept according to a hash of the
 * dimension's seed and the {@code j} bits above it. Points that share a leading binary prefix
 * therefore share the flips of that prefix, which is what keeps every elementary interval of the
 * unscrambled net populated exactly once. The remaining low bits are the midpoint of the 32-bit
 * cell.
 *
 * <p>The walk down the sequence skips points whose configuration was already tried: in a discrete
 * space several points land on one configuration. The optimizer remembers how far along the
 * sequence it has found everything tried, assuming, as the study guarantees, that a configuration
 * once tried stays tried. Hipparchus limits the dimension to 21201.
 */
public final class SobolSearch implements Optimizer {
  /** How many consecutive tried points to pass over before giving up and repeating one. */
  static final int MAX_SKIPS = 1 << 16;

  private static final double TWO_TO_32 = 0x1p32;

  private final long seed;
  private SearchSpace space;
  private SobolSequenceGenerator generator;
  private long[] dimensionSeeds;

  /** Index of the first point not yet known to be tried, and that point, decoded. */
  private int frontier;

  private Configuration frontierConfiguration;

  public SobolSearch(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "sobol";
  }

  @Override
  public Proposal propose(OptimizationState state) {
    if (state.space() != space) {
      restart(state.space());
    }
    var tried = state.triedKeys();
    for (int skipped = 0;
        skipped < MAX_SKIPS && tried.contains(frontierConfiguration.key());
        skipped++) {
      frontierConfiguration = space.fromUnit(nextPoint());
      frontier++;
    }
    return new Proposal(frontierConfiguration, name(), null);
  }

  /** Index in the Sobol sequence of the point the next proposal starts looking from. */
  int frontier() {
    return frontier;
  }

  private void restart(SearchSpace newSpace) {
    space = newSpace;
    generator = new SobolSequenceGenerator(newSpace.dimension());
    var rng = new SplittableRandom(seed);
    dimensionSeeds = new long[newSpace.dimension()];
    for (int i = 0; i < dimensionSeeds.length; i++) {
      dimensionSeeds[i] = rng.nextLong();
    }
    frontier = 0;
    frontierConfiguration = space.fromUnit(nextPoint());
  }

  private double[] nextPoint() {
    double[] v = generator.nextVector();
    double[] u = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      // Hipparchus's coordinates are k / 2^52, so this keeps the leading 32 bits exactly.
      long bits = (long) Math.floor(v[i] * TWO_TO_32);
      u[i] = (owenScramble(bits, dimensionSeeds[i]) + 0.5) / TWO_TO_32;
    }
    return u;
  }

  /** Nested uniform scramble of a 32-bit fraction, given as the low 32 bits of {@code bits}. */
  static long owenScramble(long bits, long dimensionSeed) {
    long out = 0;
    for (int j = 0; j < 32; j++) {
      long prefix = j == 0 ? 0 : bits >>> (32 - j);
      // The marker bit above the prefix tells a short prefix from a long one with leading zeros.
      long node = (1L << j) | prefix;
      long flip = mix64(dimensionSeed ^ mix64(node)) >>> 63;
      long bit = (bits >>> (31 - j)) & 1L;
      out |= (bit ^ flip) << (31 - j);
    }
    return out;
  }

  /** A 64-bit finalizer (Stafford's variant 13): every input bit reaches every output bit. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public SobolSearch copy() {
    var copy = new SobolSearch(seed);
    if (space != null) {
      copy.space = space;
      copy.generator = new SobolSequenceGenerator(space.dimension());
      // skipTo(i) returns point i and leaves the generator at i + 1.
      int next = generator.getNextIndex();
      if (next > 0) {
        copy.generator.skipTo(next - 1);
      }
      copy.dimensionSeeds = dimensionSeeds.clone();
      copy.frontier = frontier;
      copy.frontierConfiguration = frontierConfiguration;
    }
    return copy;
  }
}
