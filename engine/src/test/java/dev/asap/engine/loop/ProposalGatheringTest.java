package dev.asap.engine.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.integrator.SourceBandit;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.OptimizerPool;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.optimizer.RandomSearch;
import dev.asap.engine.study.Budget;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.MetricsCollector;
import dev.asap.engine.study.PoolMembers;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudySpec;
import dev.asap.engine.study.TrialTemplate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a round gathers the pool's proposals: in parallel, in pool order, within a time limit. */
class ProposalGatheringTest {
  @TempDir Path state;

  private static Study study(List<String> optimizers, int trials) {
    var template = JsonNodeFactory.instance.objectNode();
    template.putObject("spec").putArray("containers").addObject().put("name", "trainer");
    var spec =
        new StudySpec(
            StudyRunnerTest.minimizeLoss(null),
            StudyRunnerTest.square(),
            new Budget(trials, 3, 1, null, null),
            optimizers,
            IntegratorSpec.bandit(),
            new TrialTemplate(template, null, MetricsCollector.stdout()),
            11);
    return new Study("unit", null, spec, Path.of("."));
  }

  private static FunctionExecutor bowl() {
    return new FunctionExecutor(
        c -> {
          double x = (Double) c.get("x") - 0.3;
          double y = (Double) c.get("y") - 0.6;
          return FunctionExecutor.Outcome.reports("loss", x * x + y * y);
        });
  }

  /**
   * Test double of a pool member that is slow on purpose: its first call blocks until the test
   * releases it; later calls propose at once, from random search.
   */
  private static final class SlowOptimizer implements Optimizer {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean firstReturned = new AtomicBoolean();
    private final RandomSearch random = new RandomSearch(3);

    @Override
    public String name() {
      return "slow";
    }

    @Override
    public Proposal propose(OptimizationState state) {
      if (calls.incrementAndGet() == 1) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          firstReturned.set(true);
        }
      }
      return random.propose(state);
    }
  }

  @Test
  void aStudyRunTwiceWithTheSameSeedRecordsTheSameCandidatesAndChoices() {
    Study study = study(PoolMembers.OPTIMIZERS, 10);

    StudyResult first =
        new StudyRunner(study, bowl(), state.resolve("a"), new StudyListener() {}).run();
    StudyResult second =
        new StudyRunner(study, bowl(), state.resolve("b"), new StudyListener() {}).run();

    assertThat(second.trials()).hasSize(10);
    assertThat(second.trials().stream().map(t -> t.selection().candidates()))
        .containsExactlyElementsOf(
            first.trials().stream().map(t -> t.selection().candidates()).toList());
    assertThat(second.trials())
        .extracting(TrialRecord::source)
        .containsExactlyElementsOf(first.trials().stream().map(TrialRecord::source).toList());
    assertThat(second.trials())
        .extracting(TrialRecord::parameters)
        .containsExactlyElementsOf(first.trials().stream().map(TrialRecord::parameters).toList());
  }

  @Test
  void aMemberThatMissesTheTimeLimitIsSkippedAndNotCalledAgainUntilItsCallReturns() {
    Study study = study(List.of("random"), 3);
    var slow = new SlowOptimizer();
    // Once trial 1 has started, the slow call is let go and allowed to return before round 3.
    StudyListener releaseAfterSecondRound =
        new StudyListener() {
          @Override
          public void trialStarted(TrialRecord trial) {
            if (trial.number() == 1) {
              slow.release.countDown();
              Awaitility.await().untilTrue(slow.firstReturned);
            }
          }
        };
    var runner =
        new StudyRunner(
            study,
            bowl(),
            state,
            releaseAfterSecondRound,
            round -> List.of(OptimizerPool.create(List.of("random"), 11, round).get(0), slow),
            new SourceBandit(),
            Clock.systemUTC(),
            Duration.ofMillis(200));

    StudyResult result;
    try {
      result = runner.run();
    } finally {
      slow.release.countDown();
    }

    List<SelectionRecord> selections =
        result.trials().stream().map(TrialRecord::selection).toList();
    assertThat(selections)
        .extracting(SelectionRecord::timedOut)
        .containsExactly(List.of("slow"), List.of("slow"), List.of());
    assertThat(selections)
        .extracting(SelectionRecord::candidates)
        .containsExactly(List.of("random"), List.of("random"), List.of("random", "slow"));
    assertThat(slow.calls.get()).isEqualTo(2);
  }
}
