package dev.asap.engine.optimizer;

import static dev.asap.engine.optimizer.BeatsRandomProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomSearchTest {

  @Test
  void medianBestValuesUnderTheProtocolAreTheRecordedBaselines() {
    assertThat(
            SequentialDriver.medianBest(
                RandomSearch::new, TestFunction.branin(), BRANIN_BUDGET, SEEDS))
        .isCloseTo(RANDOM_BRANIN, within(1e-9));
    assertThat(
            SequentialDriver.medianBest(
                RandomSearch::new, TestFunction.hartmann6(), HARTMANN6_BUDGET, SEEDS))
        .isCloseTo(RANDOM_HARTMANN6, within(1e-9));
    assertThat(
            SequentialDriver.medianBest(
                RandomSearch::new, TestFunction.rosenbrock4(), ROSENBROCK4_BUDGET, SEEDS))
        .isCloseTo(RANDOM_ROSENBROCK4, within(1e-9));
  }

  @Test
  void exhaustsASmallDiscreteSpaceWithoutRepeating() {
    var space =
        new SearchSpace(
            List.of(
                new IntParameter("n", 1, 3, 1, false),
                new CategoricalParameter("kind", List.of("a", "b"))));
    var optimizer = new RandomSearch(7);
    var state = OptimizationState.empty(space);
    var keys = new HashSet<String>();
    for (int i = 0; i < 6; i++) {
      var c = optimizer.propose(state).configuration();
      keys.add(c.key());
      state = state.withPending(c);
    }
    assertThat(keys).hasSize(6);
  }
}
