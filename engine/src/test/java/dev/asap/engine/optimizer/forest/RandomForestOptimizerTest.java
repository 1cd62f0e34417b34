package dev.asap.engine.optimizer.forest;

import static dev.asap.engine.optimizer.BeatsRandomProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.asap.engine.optimizer.Observation;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.SequentialDriver;
import dev.asap.engine.optimizer.TestFunction;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomForestOptimizerTest {
  private static final ForestSettings ONE_PLAIN_TREE = new ForestSettings(1, 1.0, 1, 40, false);

  @Test
  void beatsRandomOnBranin() {
    double median =
        SequentialDriver.medianBest(
            RandomForestOptimizer::new, TestFunction.branin(), BRANIN_BUDGET, SEEDS);

    assertThat(median).isCloseTo(1.0978762545293783, within(1e-9)).isLessThan(RANDOM_BRANIN);
  }

  @Test
  void beatsRandomOnHartmann6() {
    double median =
        SequentialDriver.medianBest(
            RandomForestOptimizer::new, TestFunction.hartmann6(), HARTMANN6_BUDGET, SEEDS);

    assertThat(median).isCloseTo(-3.056509584660185, within(1e-9)).isLessThan(RANDOM_HARTMANN6);
  }

  @Test
  void beatsRandomOnRosenbrock4() {
    double median =
        SequentialDriver.medianBest(
            RandomForestOptimizer::new, TestFunction.rosenbrock4(), ROSENBROCK4_BUDGET, SEEDS);

    assertThat(median).isCloseTo(45.62699593153301, within(1e-9)).isLessThan(RANDOM_ROSENBROCK4);
  }

  @Test
  void sameSeedGivesTheSameSequenceAndNeverRepeats() {
    var first = SequentialDriver.run(new RandomForestOptimizer(1), TestFunction.branin(), 40);
    var second = SequentialDriver.run(new RandomForestOptimizer(1), TestFunction.branin(), 40);
    var other = SequentialDriver.run(new RandomForestOptimizer(2), TestFunction.branin(), 40);

    assertThat(second.losses()).isEqualTo(first.losses());
    assertThat(other.losses()).isNotEqualTo(first.losses());
    assertThat(first.duplicates()).isZero();
    assertThat(first.best()).isCloseTo(0.6870355241130284, within(1e-9));
  }

  @Test
  void singleTreeFitsAStepFunctionExactly() {
    double[][] x = new double[10][];
    double[] y = new double[10];
    int[] rows = new int[10];
    for (int i = 0; i < 10; i++) {
      x[i] = new double[] {i / 10.0};
      y[i] = i < 5 ? 0 : 1;
      rows[i] = i;
    }

    var tree =
        RegressionTree.fit(x, y, rows, new int[] {0}, ONE_PLAIN_TREE, new SplittableRandom(1));

    assertThat(tree.size()).isEqualTo(3);
    assertThat(tree.leafMean(tree.leaf(new double[] {0.0}))).isEqualTo(0.0);
    assertThat(tree.leafMean(tree.leaf(new double[] {0.44}))).isEqualTo(0.0);
    assertThat(tree.leafMean(tree.leaf(new double[] {0.46}))).isEqualTo(1.0);
    assertThat(tree.leafMean(tree.leaf(new double[] {0.9}))).isEqualTo(1.0);
    assertThat(tree.leafVariance(tree.leaf(new double[] {0.9}))).isEqualTo(0.0);
  }

  @Test
  void treeSplitsCategoriesIntoTheSubsetsTheTargetSeparates() {
    // Categories 0 and 2 share a level, 1 and 3 another: no single cut of the index order splits
    // them, a subset split does.
    double[] level = {5, -1, 5, -1};
    double[][] x = new double[12][];
    double[] y = new double[12];
    int[] rows = new int[12];
    for (int i = 0; i < 12; i++) {
      x[i] = new double[] {i % 4};
      y[i] = level[i % 4];
      rows[i] = i;
    }

    var tree =
        RegressionTree.fit(x, y, rows, new int[] {4}, ONE_PLAIN_TREE, new SplittableRandom(1));

    assertThat(tree.size()).isEqualTo(3);
    for (int c = 0; c < 4; c++) {
      assertThat(tree.leafMean(tree.leaf(new double[] {c}))).isEqualTo(level[c]);
    }
  }

  @Test
  void forestPredictsATrainingPointOfASmoothFunctionClosely() {
    int n = 40;
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = new double[] {(i + 0.5) / n};
      y[i] = Math.sin(2 * Math.PI * x[i][0]);
    }

    var forest =
        RegressionForest.fit(x, y, new int[] {0}, ForestSettings.DEFAULT, new SplittableRandom(1));
    double[] p = forest.predict(x[10]);

    assertThat(y[10]).isCloseTo(0.996917333733128, within(1e-9));
    assertThat(p[0]).isCloseTo(0.9547480695680811, within(1e-9)).isCloseTo(y[10], within(0.05));
    assertThat(Math.sqrt(p[1])).isCloseTo(0.04280167295697058, within(1e-9));
  }

  private static final SearchSpace MIXED =
      new SearchSpace(
          List.of(
              new FloatParameter("lr", 1e-4, 1, true),
              new IntParameter("depth", 1, 64, 1, true),
              new IntParameter("units", 16, 256, 16, false),
              new CategoricalParameter("act", List.of("relu", "tanh", "sigmoid")),
              new CategoricalParameter("opt", List.of("sgd", "adam"))));

  /** A loss that rewards lr near 0.01, depth near 8, more units, tanh and adam. */
  private static double mixedLoss(Configuration c) {
    double lr = Math.log10((Double) c.get("lr")) + 2;
    double depth = Math.log((Long) c.get("depth") / 8.0);
    double units = (256 - (Long) c.get("units")) / 240.0;
    double act = Map.of("relu", 0.5, "tanh", 0.0, "sigmoid", 1.0).get(c.get("act"));
    double opt = c.get("opt").equals("adam") ? 0 : 0.7;
    return lr * lr + depth * depth + units + act + opt;
  }

  @Test
  void proposesValidDistinctConfigurationsInAMixedSpace() {
    var optimizer = new RandomForestOptimizer(3);
    var observations = new ArrayList<Observation>();
    var keys = new HashSet<String>();
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 30; i++) {
      var state = new OptimizationState(MIXED, observations, List.of(), List.of());
      Configuration c = optimizer.propose(state).configuration();

      assertThat(MIXED.configuration(c.values())).isEqualTo(c);
      assertThat(keys.add(c.key())).as("new configuration %s", c).isTrue();
      observations.add(new Observation(c, mixedLoss(c)));
      best = Math.min(best, mixedLoss(c));
    }
    assertThat(best).isCloseTo(0.5555209818798454, within(1e-9));
  }

  @Test
  void proposesTheOnlyConfigurationNeitherFinishedNorRunning() {
    var space =
        new SearchSpace(
            List.of(
                new IntParameter("n", 1, 4, 1, false),
                new CategoricalParameter("kind", List.of("a", "b", "c"))));
    var all = space.configurations();
    var observations = new ArrayList<Observation>();
    for (int i = 0; i < 6; i++) {
      observations.add(new Observation(all.get(i), i));
    }
    var pending = all.subList(6, 11);

    var proposal =
        new RandomForestOptimizer(1)
            .propose(new OptimizationState(space, observations, pending, List.of(all.get(0))));

    assertThat(proposal.configuration()).isEqualTo(all.get(11));
    assertThat(proposal.configuration().key()).isEqualTo("n=4,kind=c");
  }

  private static OptimizationState braninAfterRandomTrials(int n) {
    var f = TestFunction.branin();
    var rng = new SplittableRandom(9);
    var observations = new ArrayList<Observation>();
    for (int i = 0; i < n; i++) {
      Configuration c = f.space().sample(rng);
      observations.add(new Observation(c, f.evaluate(c)));
    }
    return new OptimizationState(f.space(), observations, List.of(), List.of());
  }

  @Test
  void parallelSlotsGetDistinctConfigurationsThatAreNotRunning() {
    var optimizer = new RandomForestOptimizer(4);
    var state = braninAfterRandomTrials(12);
    var proposed = new ArrayList<Configuration>();
    for (int slot = 0; slot < 6; slot++) {
      Configuration c = optimizer.propose(state).configuration();

      assertThat(state.pending()).doesNotContain(c);
      proposed.add(c);
      state = state.withPending(c);
    }
    assertThat(new HashSet<>(proposed)).hasSize(6);
  }

  @Test
  void lyingAboutARunningConfigurationMostlyNarrowsTheSpreadThere() {
    var state = braninAfterRandomTrials(12);
    var rng = new SplittableRandom(10);
    int narrower = 0;
    double logRatio = 0;
    for (int seed = 0; seed < 40; seed++) {
      var optimizer = new RandomForestOptimizer(seed);
      Configuration running = state.space().sample(rng);
      double before = optimizer.predict(state, running).orElseThrow().stddev();
      double after = optimizer.predict(state.withPending(running), running).orElseThrow().stddev();
      narrower += after < before ? 1 : 0;
      logRatio += Math.log(after / before) / 40;
    }

    assertThat(narrower).isEqualTo(32);
    assertThat(logRatio).isCloseTo(-0.22028436324450526, within(1e-9));
  }

  @Test
  void proposalCarriesTheSamePredictionAsPredictOnceTheStartUpIsOver() {
    var f = TestFunction.hartmann6();
    var optimizer = new RandomForestOptimizer(2);
    var observations = new ArrayList<Observation>();
    for (int i = 0; i < 6; i++) {
      var state = new OptimizationState(f.space(), observations, List.of(), List.of());
      var proposal = optimizer.propose(state);

      assertThat(proposal.prediction()).isNull();
      assertThat(optimizer.predict(state, proposal.configuration())).isEmpty();
      observations.add(
          new Observation(proposal.configuration(), f.evaluate(proposal.configuration())));
    }
    var state = new OptimizationState(f.space(), observations, List.of(), List.of());
    var proposal = optimizer.propose(state);

    assertThat(RandomForestOptimizer.startupTrials(f.space())).isEqualTo(7);
    assertThat(proposal.prediction()).isNull();
    observations.add(
        new Observation(proposal.configuration(), f.evaluate(proposal.configuration())));
    var trained = new OptimizationState(f.space(), observations, List.of(), List.of());
    var modelled = optimizer.propose(trained);
    assertThat(modelled.prediction())
        .isEqualTo(optimizer.predict(trained, modelled.configuration()).orElseThrow());
    assertThat(modelled.prediction().mean()).isCloseTo(-0.647605499257287, within(1e-9));
    assertThat(modelled.prediction().stddev()).isCloseTo(0.7432647746735396, within(1e-9));
  }
}
