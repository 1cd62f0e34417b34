package dev.asap.engine.optimizer.tpe;

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
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.junit.jupiter.api.Test;

class TpeOptimizerTest {

  @Test
  void medianBestValuesUnderTheProtocolAreRecordedAndBeatRandom() {
    double branin =
        SequentialDriver.medianBest(TpeOptimizer::new, TestFunction.branin(), BRANIN_BUDGET, SEEDS);
    double hartmann6 =
        SequentialDriver.medianBest(
            TpeOptimizer::new, TestFunction.hartmann6(), HARTMANN6_BUDGET, SEEDS);
    double rosenbrock4 =
        SequentialDriver.medianBest(
            TpeOptimizer::new, TestFunction.rosenbrock4(), ROSENBROCK4_BUDGET, SEEDS);

    assertThat(branin).isCloseTo(0.7972358586292305, within(1e-9)).isLessThan(RANDOM_BRANIN);
    assertThat(hartmann6).isCloseTo(-3.1589782212664113, within(1e-9)).isLessThan(RANDOM_HARTMANN6);
    assertThat(rosenbrock4)
        .isCloseTo(3.7546117382961457, within(1e-9))
        .isLessThan(RANDOM_ROSENBROCK4);
  }

  @Test
  void goodCountIsTheBestTenthRoundedUpAndAtMost25() {
    assertThat(ObservationSplit.goodCount(10)).isEqualTo(1);
    assertThat(ObservationSplit.goodCount(11)).isEqualTo(2);
    assertThat(ObservationSplit.goodCount(80)).isEqualTo(8);
    assertThat(ObservationSplit.goodCount(241)).isEqualTo(25);
    assertThat(ObservationSplit.goodCount(1000)).isEqualTo(25);
  }

  @Test
  void splitKeepsTheLowestLossesGoodAndPutsRunningAndFailedWithTheBad() {
    var space = line();
    var observations = new ArrayList<Observation>();
    for (int i = 0; i < 12; i++) {
      // Losses 11, 10, ..., 0: the last two points are the best.
      observations.add(new Observation(at(space, i / 20.0), 11 - i));
    }
    var state =
        new OptimizationState(
            space, observations, List.of(at(space, 0.9)), List.of(at(space, 0.95)));

    var split = ObservationSplit.of(state);

    assertThat(split.good()).extracting(u -> u[0]).containsExactly(0.55, 0.5);
    assertThat(split.bad()).hasSize(12);
    assertThat(split.bad()).extracting(u -> u[0]).contains(0.9, 0.95);
  }

  @Test
  void densityRatioMatchesTheClosedFormAndFavoursTheGoodRegion() {
    var space = line();
    var good = ParzenEstimator.fit(space, List.of(new double[] {0.2}));
    var bad = ParzenEstimator.fit(space, List.of(new double[] {0.7}, new double[] {0.9}));

    // Scott's rule on each set pooled with the uniform prior (variance 1/12 about 1/2), weight 1.
    double goodWidth = Math.sqrt((1.0 / 12 + 0.15 * 0.15 + 0.15 * 0.15) / 2);
    double badWidth = Math.sqrt((1.0 / 12 + 0.2 * 0.2 + 0.2 * 0.2) / 3) * Math.pow(2, -1.0 / 5);
    assertThat(good.widths()[0]).isCloseTo(goodWidth, within(1e-9));
    assertThat(bad.widths()[0]).isCloseTo(badWidth, within(1e-9));

    double l = (truncatedNormal(0.2, 0.2, goodWidth) + 1) / 2;
    double g = (truncatedNormal(0.2, 0.7, badWidth) + truncatedNormal(0.2, 0.9, badWidth) + 1) / 3;
    double ratioAtGood = good.logDensity(new double[] {0.2}) - bad.logDensity(new double[] {0.2});
    double ratioAtBad = good.logDensity(new double[] {0.8}) - bad.logDensity(new double[] {0.8});

    assertThat(ratioAtGood).isCloseTo(Math.log(l / g), within(1e-9));
    assertThat(ratioAtGood).isGreaterThan(0).isGreaterThan(ratioAtBad);
    assertThat(ratioAtBad).isLessThan(0);
  }

  @Test
  void jointKernelsKeepEachGoodPointsCoordinatesTogether() {
    var space =
        new SearchSpace(
            List.of(new FloatParameter("x", 0, 1, false), new FloatParameter("y", 0, 1, false)));
    var good =
        ParzenEstimator.fit(space, List.of(new double[] {0.1, 0.1}, new double[] {0.9, 0.9}));

    // Pooled with the prior the spread is sqrt((1/12 + 0.16 + 0.16) / 3) on each axis.
    double w = Math.sqrt((1.0 / 12 + 0.32) / 3) * Math.pow(2, -1.0 / 6);
    double k1 = truncatedNormal(0.1, 0.1, w);
    double k9 = truncatedNormal(0.1, 0.9, w);
    double onPoint = Math.exp(good.logDensity(new double[] {0.1, 0.1}));
    double offDiagonal = Math.exp(good.logDensity(new double[] {0.1, 0.9}));

    // Independent axes would give both points the same density; the product kernels do not.
    assertThat(onPoint).isCloseTo((k1 * k1 + k9 * k9 + 1) / 3, within(1e-9));
    assertThat(offDiagonal).isCloseTo((2 * k1 * k9 + 1) / 3, within(1e-9));
    assertThat(onPoint).isGreaterThan(offDiagonal);
  }

  @Test
  void categoricalKernelConcentratesOnTheGoodCategory() {
    var space = new SearchSpace(List.of(new CategoricalParameter("kind", List.of("a", "b", "c"))));
    double b = space.toUnit(space.configuration(Map.of("kind", "b")))[0];
    double a = space.toUnit(space.configuration(Map.of("kind", "a")))[0];

    var good = ParzenEstimator.fit(space, List.of(new double[] {b}, new double[] {b}));

    // Each kernel keeps "b" with 1 - 1/3 + 1/9 = 7/9; the prior gives 1/3; weights 1, 1, 1.
    assertThat(Math.exp(good.logDensity(new double[] {b}))).isCloseTo(17.0 / 27, within(1e-9));
    assertThat(Math.exp(good.logDensity(new double[] {a}))).isCloseTo(5.0 / 27, within(1e-9));
  }

  @Test
  void integerKernelMassesOverAllValuesSumToOne() {
    var linear = new BinnedAxis(new IntParameter("n", 2, 20, 3, false));
    var log = new BinnedAxis(new IntParameter("m", 1, 300, 1, true));
    var fine = new BinnedAxis(new IntParameter("k", 0, 50_000, 1, false));

    assertThat(totalMass(linear, 2, 20, 3)).isCloseTo(1, within(1e-9));
    assertThat(totalMass(log, 1, 300, 1)).isCloseTo(1, within(1e-9));
    assertThat(totalMass(fine, 0, 50_000, 1)).isCloseTo(1, within(1e-9));
  }

  @Test
  void mixedSpaceProposalsAreValidAndSettleOnTheGoodCategory() {
    var space =
        new SearchSpace(
            List.of(
                new IntParameter("layers", 1, 8, 1, false),
                new CategoricalParameter("kind", List.of("a", "b", "c")),
                new FloatParameter("rate", 1e-4, 1e-1, true)));
    var optimizer = new TpeOptimizer(11);
    var observations = new ArrayList<Observation>();
    int goodKind = 0;
    for (int i = 0; i < 40; i++) {
      var state = new OptimizationState(space, observations, List.of(), List.of());
      Configuration c = optimizer.propose(state).configuration();
      assertThat(space.configuration(c.values())).isEqualTo(c);
      double loss =
          (c.get("kind").equals("b") ? 0 : 1)
              + 0.1 * Math.abs((Long) c.get("layers") - 3)
              + 0.1 * Math.abs(Math.log10((Double) c.get("rate")) + 2);
      observations.add(new Observation(c, loss));
      if (i >= TpeOptimizer.STARTUP_TRIALS && c.get("kind").equals("b")) {
        goodKind++;
      }
    }
    // Uniform draws would pick "b" for about 10 of the 30 model-guided proposals.
    assertThat(goodKind).isEqualTo(25);
  }

  @Test
  void parallelSlotsGetDistinctProposalsThatAvoidPendingOnes() {
    var state = randomState(TestFunction.branin(), 12, 99);
    Configuration first = new TpeOptimizer(5).propose(state).configuration();

    var again = new TpeOptimizer(5).propose(state.withPending(first)).configuration();

    assertThat(again).isNotEqualTo(first);
    var optimizer = new TpeOptimizer(5);
    var keys = new HashSet<String>();
    for (int slot = 0; slot < 4; slot++) {
      Configuration c = optimizer.propose(state).configuration();
      assertThat(state.triedKeys()).doesNotContain(c.key());
      keys.add(c.key());
      state = state.withPending(c);
    }
    assertThat(keys).hasSize(4);
  }

  @Test
  void proposesTheOnlyUntriedValueWhenEveryCandidateWasTried() {
    var space = new SearchSpace(List.of(new IntParameter("n", 1, 12, 1, false)));
    var observations = new ArrayList<Observation>();
    for (long n = 1; n <= 11; n++) {
      observations.add(new Observation(space.configuration(Map.of("n", n)), n));
    }
    var state = new OptimizationState(space, observations, List.of(), List.of());

    assertThat(new TpeOptimizer(3).propose(state).configuration().get("n")).isEqualTo(12L);
  }

  @Test
  void startUpProposalsAreSeededUniformDraws() {
    var space = TestFunction.hartmann6().space();

    var proposal = new TpeOptimizer(7).propose(OptimizationState.empty(space));

    assertThat(proposal.configuration()).isEqualTo(space.sample(new SplittableRandom(7)));
  }

  @Test
  void sameSeedGivesTheSameSequenceAndAnotherSeedAnother() {
    var f = TestFunction.branin();

    var once = SequentialDriver.run(new TpeOptimizer(3), f, 30).losses();
    var twice = SequentialDriver.run(new TpeOptimizer(3), f, 30).losses();
    var other = SequentialDriver.run(new TpeOptimizer(4), f, 30).losses();

    assertThat(twice).isEqualTo(once);
    assertThat(other).isNotEqualTo(once);
  }

  @Test
  void offersNoPredictionSinceItHasNoLossModel() {
    var state = randomState(TestFunction.branin(), 12, 1);
    var optimizer = new TpeOptimizer(1);

    var proposal = optimizer.propose(state);

    assertThat(proposal.prediction()).isNull();
    assertThat(proposal.source()).isEqualTo("tpe");
    assertThat(optimizer.predict(state, proposal.configuration())).isEmpty();
  }

  private static SearchSpace line() {
    return new SearchSpace(List.of(new FloatParameter("x", 0, 1, false)));
  }

  private static Configuration at(SearchSpace space, double x) {
    return space.configuration(Map.of("x", x));
  }

  private static double truncatedNormal(double x, double mean, double sd) {
    var n = new NormalDistribution(mean, sd);
    return n.density(x) / (n.cumulativeProbability(1) - n.cumulativeProbability(0));
  }

  private static double totalMass(BinnedAxis axis, long min, long max, long step) {
    double centre = axis.parameter().toUnit(min + 2 * step);
    double total = 0;
    for (long v = min; v <= max; v += step) {
      total += Math.exp(axis.logKernel(centre, 0.3, axis.parameter().toUnit(v)));
    }
    return total;
  }

  private static OptimizationState randomState(TestFunction f, int n, long seed) {
    var rng = new SplittableRandom(seed);
    var observations = new ArrayList<Observation>();
    for (int i = 0; i < n; i++) {
      Configuration c = f.space().sample(rng);
      observations.add(new Observation(c, f.evaluate(c)));
    }
    return new OptimizationState(f.space(), observations, List.of(), List.of());
  }
}
