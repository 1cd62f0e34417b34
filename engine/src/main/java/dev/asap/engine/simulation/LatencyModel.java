package dev.asap.engine.simulation;

import dev.asap.engine.study.DurationText;
import java.time.Duration;
import java.util.List;

/**
 * How long a simulated LLM round takes: a constant, or a draw from latencies measured on a real
 * backend, so that a simulated study's LLM time can be compared with the trials' time it hides
 * behind or adds to.
 */
public interface LatencyModel {
  /** The forms {@link #parse} accepts, for error messages. */
  String FORMS = "a duration (2s, PT2.5S) or \"measured\" (the embedded model's warm rounds)";

  /** The next round's latency. */
  Duration next();

  /** Every round takes {@code latency}. */
  static LatencyModel fixed(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("a latency cannot be negative: " + latency);
    }
    return () -> latency;
  }

  /**
   * Each round takes one of {@code samples}, drawn uniformly with replacement; the k-th call's draw
   * depends only on {@code seed} and k, so a rerun of the same study sees the same latencies.
   */
  static LatencyModel empirical(List<Duration> samples, long seed) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("an empirical latency model needs at least one sample");
    }
    if (samples.stream().anyMatch(Duration::isNegative)) {
      throw new IllegalArgumentException("a latency cannot be negative: " + samples);
    }
    List<Duration> copy = List.copyOf(samples);
    return new LatencyModel() {
      private long calls;

      @Override
      public Duration next() {
        return copy.get(SeededDraws.generator(seed, calls++).nextInt(copy.size()));
      }
    };
  }

  /** The warm rounds measured on the embedded model, {@link MeasuredLatency#WARM_ROUNDS}. */
  static LatencyModel measured(long seed) {
    return empirical(MeasuredLatency.WARM_ROUNDS, seed);
  }

  /**
   * Reads {@link #FORMS}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  static LatencyModel parse(String text, long seed) {
    if (text.equals("measured")) {
      return measured(seed);
    }
    try {
      return fixed(DurationText.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an LLM latency (" + e.getMessage() + "); write " + FORMS, e);
    }
  }
}
