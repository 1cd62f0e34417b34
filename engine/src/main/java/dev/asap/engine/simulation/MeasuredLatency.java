package dev.asap.engine.simulation;

import java.time.Duration;
import java.util.List;

/**
 * LLM round times measured through the real gateway and its embedded model on the project's
 * development machine, so that a simulated study pays what a real one paid.
 *
 * <p>Source: {@code bench/llm/README.md}, the append-only table (the product's prompt layout):
 * SmolLM2-135M-Instruct Q4_1 through llama.cpp, one slot, 2 threads, on 2 x86-64 cores, after 80
 * trials of history on Branin, each round's total as the engine measured it.
 */
public final class MeasuredLatency {
  /**
   * Rounds 2 to 10, with the prompt cache reused (92.2-92.9% of about 3,000 prompt tokens): 2.4 to
   * 2.7 s, mean 2.54 s.
   */
  public static final List<Duration> WARM_ROUNDS =
      List.of(2433, 2489, 2448, 2423, 2673, 2583, 2618, 2580, 2614).stream()
          .map(Duration::ofMillis)
          .toList();

  /** Round 1, the same prompt read with nothing cached: what a cache miss costs a round. */
  public static final Duration COLD_ROUND = Duration.ofMillis(19132);

  private MeasuredLatency() {}
}
