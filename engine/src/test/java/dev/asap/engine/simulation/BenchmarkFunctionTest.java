package dev.asap.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkFunctionTest {
  private static final double EXACT = 1e-9;

  private static Configuration at(BenchmarkFunction f, double... x) {
    var values = new LinkedHashMap<String, Object>();
    for (int i = 0; i < x.length; i++) {
      values.put("x" + (i + 1), x[i]);
    }
    return f.space().configuration(values);
  }

  @Test
  void braninReachesItsMinimumAtAllThreeMinimizers() {
    var branin = BenchmarkFunction.branin();

    assertThat(branin.minimum()).isEqualTo(0.397887357729738);
    assertThat(branin.value(at(branin, -Math.PI, 12.275)))
        .isCloseTo(0.397887357729738, within(EXACT));
    assertThat(branin.value(at(branin, Math.PI, 2.275)))
        .isCloseTo(0.397887357729738, within(EXACT));
    assertThat(branin.value(at(branin, 9.42478, 2.475)))
        .isCloseTo(0.397887357729738, within(EXACT));
  }

  @Test
  void braninAtTheOriginIsFiftySixLessTenTimesT() {
    var branin = BenchmarkFunction.branin();

    // (0 - 0 + 0 - 6)^2 + 10 (1 - t) cos 0 + 10 = 56 - 10 t, t = 1 / (8 pi).
    assertThat(branin.value(at(branin, 0, 0))).isCloseTo(56 - 1.25 / Math.PI, within(EXACT));
    assertThat(56 - 1.25 / Math.PI).isCloseTo(55.602112642270262, within(1e-12));
  }

  @Test
  void hartmann6ReachesItsMinimumAtThePublishedMinimizer() {
    var hartmann = BenchmarkFunction.hartmann6();

    assertThat(hartmann.minimum()).isEqualTo(-3.32236801141551);
    assertThat(
            hartmann.value(at(hartmann, 0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)))
        .isCloseTo(-3.32236801141551, within(EXACT));
  }

  @Test
  void hartmann6AtTheCentreOfTheCubeMatchesAnIndependentEvaluation() {
    var hartmann = BenchmarkFunction.hartmann6();

    // Evaluated with mpmath at 40 digits from the published constants.
    assertThat(hartmann.value(at(hartmann, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)))
        .isCloseTo(-0.5053149917022331, within(EXACT));
  }

  @Test
  void rosenbrockIsZeroAtAllOnesAndSumsItsValleyTermsElsewhere() {
    var rosenbrock = BenchmarkFunction.rosenbrock(4);

    assertThat(rosenbrock.value(at(rosenbrock, 1, 1, 1, 1))).isEqualTo(0.0);
    // 100 (2 - 1)^2 + 0^2 + 100 (3 - 4)^2 + 1^2 + 100 (4 - 9)^2 + 2^2 = 100 + 101 + 2504.
    assertThat(rosenbrock.value(at(rosenbrock, 1, 2, 3, 4))).isEqualTo(2705.0);
  }

  @Test
  void ackleyIsZeroAtTheOriginAndTwentyTimesOneLessExpMinusOneFifthAtAllOnes() {
    var ackley = BenchmarkFunction.ackley(5);

    assertThat(ackley.value(at(ackley, 0, 0, 0, 0, 0))).isCloseTo(0.0, within(EXACT));
    // The root mean square is 1 and every cosine is 1: -20 e^-0.2 - e + 20 + e.
    assertThat(ackley.value(at(ackley, 1, 1, 1, 1, 1))).isCloseTo(3.62538493844036, within(EXACT));
  }

  @Test
  void eachNamedFunctionReachesItsMinimumAtItsOwnMinimizer() {
    for (String name : BenchmarkFunction.NAMES) {
      var f = BenchmarkFunction.named(name);

      assertThat(f.value(f.minimizer())).as(name).isCloseTo(f.minimum(), within(EXACT));
    }
  }

  @Test
  void namedFunctionsHaveTheLiteratureBoxes() {
    assertThat(BenchmarkFunction.named("branin").space().parameters())
        .containsExactly(
            new FloatParameter("x1", -5, 10, false), new FloatParameter("x2", 0, 15, false));
    assertThat(BenchmarkFunction.named("hartmann6").space().parameters())
        .hasSize(6)
        .allMatch(p -> p.equals(new FloatParameter(p.name(), 0, 1, false)));
    assertThat(BenchmarkFunction.named("rosenbrock").space().parameters())
        .hasSize(4)
        .allMatch(p -> p.equals(new FloatParameter(p.name(), -5, 10, false)));
    assertThat(BenchmarkFunction.named("ackley").space().parameters())
        .hasSize(5)
        .allMatch(p -> p.equals(new FloatParameter(p.name(), -32.768, 32.768, false)));
    assertThat(BenchmarkFunction.named("ackley").space().parameters().get(4).name())
        .isEqualTo("x5");
  }

  @Test
  void anOffsetShiftsEveryValueAndTheMinimumAndAddsUp() {
    var shifted = BenchmarkFunction.rosenbrock(4).withOffset(1000).withOffset(-10);

    assertThat(shifted.offset()).isEqualTo(990.0);
    assertThat(shifted.minimum()).isEqualTo(990.0);
    assertThat(shifted.value(at(shifted, 1, 2, 3, 4))).isEqualTo(3695.0);
    assertThat(shifted.value(shifted.minimizer())).isEqualTo(990.0);
  }

  @Test
  void anUnknownNameIsRefusedWithTheAllowedNames() {
    assertThatThrownBy(() -> BenchmarkFunction.named("sphere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no benchmark function named \"sphere\"; the allowed names are "
                + List.of("branin", "hartmann6", "rosenbrock", "ackley"));
  }

  @Test
  void aNonFiniteOffsetIsRefused() {
    assertThatThrownBy(() -> BenchmarkFunction.branin().withOffset(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an offset must be a finite number, got NaN");
  }
}
