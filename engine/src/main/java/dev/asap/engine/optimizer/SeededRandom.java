package dev.asap.engine.optimizer;

import java.util.random.RandomGenerator;

/**
 * The SplitMix64 generator of {@link java.util.SplittableRandom}, draw for draw (a seed gives the
 * same {@code nextLong}, {@code nextInt}, {@code nextDouble}, {@code nextGaussian} and bounded
 * draws), with one thing the JDK's class lacks: {@link #copy()}, an independent generator in the
 * same state. Speculation needs it to run a copy of the pool exactly as the pool itself would run.
 */
public final class SeededRandom implements RandomGenerator {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private long state;

  /** A generator with the sequence of {@code new SplittableRandom(seed)}. */
  public SeededRandom(long seed) {
    this.state = seed;
  }

  /** An independent generator that continues with the draws this one would make next. */
  public SeededRandom copy() {
    return new SeededRandom(state);
  }

  @Override
  public long nextLong() {
    long z = state += GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public int nextInt() {
    long z = state += GOLDEN_GAMMA;
    z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
    return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
  }
}
