package dev.asap.engine.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asap.engine.study.PoolMembers;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerPoolTest {
  @Test
  void everyNameTheStudyReaderAcceptsHasAMemberInTheSameOrder() {
    assertThat(OptimizerPool.names()).isEqualTo(PoolMembers.OPTIMIZERS);
  }

  @Test
  void createsTheNamedMembersInOrder() {
    var pool = OptimizerPool.create(List.of("gp", "random", "cmaes"), 1, 0);

    assertThat(pool).extracting(Optimizer::name).containsExactly("gp", "random", "cmaes");
  }

  @Test
  void aResumedStudyDrawsDifferentRandomNumbers() {
    var space = TestFunction.branin().space();
    var first = OptimizerPool.create(List.of("random"), 1, 0).get(0);
    var resumed = OptimizerPool.create(List.of("random"), 1, 7).get(0);
    var again = OptimizerPool.create(List.of("random"), 1, 0).get(0);
    var state = OptimizationState.empty(space);

    var c = first.propose(state).configuration();

    assertThat(resumed.propose(state).configuration()).isNotEqualTo(c);
    assertThat(again.propose(state).configuration()).isEqualTo(c);
  }

  @Test
  void anUnknownNameIsRefusedWithTheAllowedOnes() {
    assertThatThrownBy(() -> OptimizerPool.create(List.of("hyperband"), 1, 0))
        .hasMessage(
            "unknown optimizer 'hyperband'; allowed: [random, sobol, tpe, gp, cmaes, forest]");
  }
}
