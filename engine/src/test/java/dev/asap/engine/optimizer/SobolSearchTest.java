package dev.asap.engine.optimizer;

import static dev.asap.engine.optimizer.BeatsRandomProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SobolSearchTest {
  private static final SearchSpace SQUARE =
      new SearchSpace(
          List.of(new FloatParameter("a", 0, 1, false), new FloatParameter("b", 0, 1, false)));

  private static List<Configuration> firstPoints(long seed, SearchSpace space, int n) {
    var optimizer = new SobolSearch(seed);
    var state = OptimizationState.empty(space);
    var points = new ArrayList<Configuration>();
    for (int i = 0; i < n; i++) {
      var c = optimizer.propose(state).configuration();
      points.add(c);
      state = state.withPending(c);
    }
    return points;
  }

  @Test
  void firstSixtyFourPointsHoldOnePointInEveryElementaryIntervalOfEveryShape() {
    var points = firstPoints(3, SQUARE, 64);
    for (int k = 0; k <= 6; k++) {
      int columns = 1 << k;
      int rows = 1 << (6 - k);
      int[][] counts = new int[columns][rows];
      for (var c : points) {
        counts[(int) ((Double) c.get("a") * columns)][(int) ((Double) c.get("b") * rows)]++;
      }
      for (int[] column : counts) {
        assertThat(column).as("%d x %d intervals", columns, rows).containsOnly(1);
      }
    }
  }

  @Test
  void firstPointForSeedOneIsTheRecordedOne() {
    var first = firstPoints(1, SQUARE, 1).get(0);

    assertThat((Double) first.get("a")).isCloseTo(0.34107806149404496, within(1e-9));
    assertThat((Double) first.get("b")).isCloseTo(0.8354792256141081, within(1e-9));
  }

  @Test
  void differentSeedsScrambleDifferently() {
    var one = firstPoints(1, SQUARE, 8);
    var two = firstPoints(2, SQUARE, 8);

    assertThat(new HashSet<>(one)).doesNotContainAnyElementsOf(two);
  }

  @Test
  void sameSeedGivesTheSameSequence() {
    assertThat(firstPoints(5, SQUARE, 16)).isEqualTo(firstPoints(5, SQUARE, 16));
  }

  @Test
  void skipsPointsWhoseDiscreteConfigurationWasAlreadyTried() {
    var space =
        new SearchSpace(
            List.of(
                new IntParameter("n", 1, 3, 1, false),
                new CategoricalParameter("kind", List.of("a", "b"))));

    var points = firstPoints(7, space, 6);

    assertThat(new HashSet<>(points)).hasSize(6);
  }

  @Test
  void passesOverPointsAlreadyObservedFromAnotherProposer() {
    var optimizer = new SobolSearch(4);
    var first = optimizer.propose(OptimizationState.empty(SQUARE)).configuration();
    var state =
        new OptimizationState(SQUARE, List.of(new Observation(first, 1.0)), List.of(), List.of());

    var again = optimizer.propose(OptimizationState.empty(SQUARE)).configuration();
    var next = optimizer.propose(state).configuration();

    assertThat(again).isEqualTo(first);
    assertThat(next).isNotEqualTo(first);
    assertThat(optimizer.frontier()).isEqualTo(1);
  }

  /**
   * Quasi-random points are not expected to beat random search by much on these budgets; the
   * figures are recorded so that a change to the scramble shows. Over 300 seeds (1000-1299) the
   * Branin medians are 1.254 for Sobol against 1.273 for random: a slim lead.
   */
  @Test
  void medianBestValuesUnderTheProtocolAreTheRecordedFigures() {
    assertThat(
            SequentialDriver.medianBest(
                SobolSearch::new, TestFunction.branin(), BRANIN_BUDGET, SEEDS))
        .isCloseTo(1.341467018848535, within(1e-9))
        .isLessThan(RANDOM_BRANIN);
    assertThat(
            SequentialDriver.medianBest(
                SobolSearch::new, TestFunction.hartmann6(), HARTMANN6_BUDGET, SEEDS))
        .isCloseTo(-2.0358000235924845, within(1e-9))
        .isLessThan(RANDOM_HARTMANN6);
    assertThat(
            SequentialDriver.medianBest(
                SobolSearch::new, TestFunction.rosenbrock4(), ROSENBROCK4_BUDGET, SEEDS))
        .isCloseTo(37.75204715790286, within(1e-9))
        .isLessThan(RANDOM_ROSENBROCK4);
  }
}
