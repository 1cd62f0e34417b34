package dev.asap.engine.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A copy proposes what its original would, and the two never disturb each other. */
class OptimizerCopyTest {
  private static final SearchSpace SPACE =
      new SearchSpace(
          List.of(
              new FloatParameter("x", 0, 1, false),
              new FloatParameter("lr", 1e-4, 1, true),
              new IntParameter("layers", 1, 6, 1, false),
              new CategoricalParameter("act", List.of("relu", "tanh"))));

  static List<String> members() {
    return OptimizerPool.names();
  }

  private static double loss(Configuration c) {
    double x = ((Number) c.get("x")).doubleValue();
    double lr = Math.log10(((Number) c.get("lr")).doubleValue());
    return (x - 0.3) * (x - 0.3) + (lr + 2) * (lr + 2) + ("relu".equals(c.get("act")) ? 0 : 0.5);
  }

  /** Runs {@code rounds} sequential rounds on {@code optimizer}, growing {@code observations}. */
  private static List<Configuration> rounds(
      Optimizer optimizer, List<Observation> observations, int rounds) {
    var proposed = new ArrayList<Configuration>();
    for (int i = 0; i < rounds; i++) {
      var state = new OptimizationState(SPACE, observations, List.of(), List.of());
      Configuration c = optimizer.propose(state).configuration();
      proposed.add(c);
      observations.add(new Observation(c, loss(c)));
    }
    return proposed;
  }

  @ParameterizedTest
  @MethodSource("members")
  void aCopyProposesWhatTheOriginalWouldHave(String name) {
    Optimizer original = OptimizerPool.create(List.of(name), 11, 0).get(0);
    var history = new ArrayList<Observation>();
    rounds(original, history, 12);

    Optimizer copy = original.copy();
    var historyOfCopy = new ArrayList<>(history);

    assertThat(rounds(copy, historyOfCopy, 8)).isEqualTo(rounds(original, history, 8));
  }

  @ParameterizedTest
  @MethodSource("members")
  void callsToTheOriginalLeaveTheCopyAsItWas(String name) {
    Optimizer original = OptimizerPool.create(List.of(name), 5, 0).get(0);
    var history = new ArrayList<Observation>();
    rounds(original, history, 10);
    Optimizer copy = original.copy();
    Optimizer reference = original.copy();
    var other = new ArrayList<>(history);
    other.add(new Observation(SPACE.sample(new SplittableRandom(3)), 9.0));

    rounds(original, other, 6); // a different history: it must not leak into the copy

    var a = new ArrayList<>(history);
    var b = new ArrayList<>(history);
    assertThat(rounds(copy, a, 6)).isEqualTo(rounds(reference, b, 6));
  }

  @org.junit.jupiter.api.Test
  void theGeneratorDrawsWhatSplittableRandomDrawsAndItsCopyGoesOnFromTheSamePoint() {
    var jdk = new SplittableRandom(42);
    var ours = new SeededRandom(42);
    for (int i = 0; i < 1000; i++) {
      assertThat(ours.nextLong()).isEqualTo(jdk.nextLong());
      assertThat(ours.nextInt(17)).isEqualTo(jdk.nextInt(17));
      assertThat(ours.nextDouble()).isEqualTo(jdk.nextDouble());
      assertThat(ours.nextGaussian()).isEqualTo(jdk.nextGaussian());
    }
    SeededRandom copy = ours.copy();
    long next = ours.nextLong();
    assertThat(copy.nextLong()).isEqualTo(next);
  }
}
