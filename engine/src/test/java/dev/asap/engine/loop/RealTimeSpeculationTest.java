package dev.asap.engine.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.integrator.Integrator;
import dev.asap.engine.integrator.Selection;
import dev.asap.engine.integrator.SelectionContext;
import dev.asap.engine.integrator.SourceBandit;
import dev.asap.engine.optimizer.OptimizerPool;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.speculation.ExecutionLog;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.SpeculationVerdict;
import dev.asap.engine.speculation.ValuePredictor;
import dev.asap.engine.study.Budget;
import dev.asap.engine.study.SpeculationSpec;
import dev.asap.engine.study.Study;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speculation on a real clock, with its background threads: each trial is held until its
 * speculation has finished, so every one after the GP's start-up is accepted and starts at once.
 */
class RealTimeSpeculationTest {
  @TempDir Path state;

  private static double loss(Configuration c) {
    double x = ((Number) c.get("x")).doubleValue();
    double y = ((Number) c.get("y")).doubleValue();
    return 1 + (x - 0.3) * (x - 0.3) + (y - 0.7) * (y - 0.7);
  }

  /** The bandit, noting how many trials had ended in each speculative round it decided. */
  private static final class WatchedBandit implements Integrator {
    final Set<Integer> speculativeRounds = ConcurrentHashMap.newKeySet();
    private final SourceBandit bandit = new SourceBandit();

    @Override
    public String name() {
      return "bandit";
    }

    @Override
    public Selection select(SelectionContext context, List<Proposal> candidates) {
      Selection s = bandit.select(context, candidates);
      if (Thread.currentThread().getName().startsWith("asap-speculate")) {
        speculativeRounds.add(context.ended().size());
      }
      return s;
    }
  }

  @Test
  void aTrialHeldUntilItsSpeculationIsReadyIsFollowedByTheSpeculativeProposal() {
    Study plain =
        StudyRunnerTest.study(
            StudyRunnerTest.square(),
            StudyRunnerTest.minimizeLoss(null),
            new Budget(12, 3, 1, null, null));
    Study study =
        new Study(
            plain.name(),
            null,
            new dev.asap.engine.study.StudySpec(
                    plain.spec().objective(),
                    plain.spec().searchSpace(),
                    plain.spec().budget(),
                    List.of("random", "gp"),
                    plain.spec().integrator(),
                    plain.spec().trialTemplate(),
                    plain.spec().seed())
                .withSpeculation(SpeculationSpec.fixed(100)),
            plain.baseDir());
    var executor =
        new FunctionExecutor(c -> FunctionExecutor.Outcome.reports("loss", loss(c)), true);
    var bandit = new WatchedBandit();
    Set<Integer> predicted = ConcurrentHashMap.newKeySet();
    ValuePredictor pooled = ValuePredictor.pooled();
    ValuePredictor watched =
        (pool, s, c) -> {
          var p = pooled.predict(pool, s, c);
          if (p.isPresent()) {
            predicted.add(s.observations().size());
          }
          return p;
        };
    var runner =
        new StudyRunner(
                study,
                executor,
                state,
                new StudyListener() {},
                round -> OptimizerPool.create(List.of("random", "gp"), 7, round),
                bandit,
                Clock.systemUTC())
            .predictor(watched);
    // The GP predicts once five trials have ended: trials 5 to 10 are speculated on (trial 11 is
    // the last, with nothing after it). Each is released once its speculative round is decided.
    Thread releaser =
        new Thread(
            () -> {
              for (int n = 0; n < 12; n++) {
                int trial = n;
                Awaitility.await().until(() -> executor.gates.size() > trial);
                if (trial >= 5 && trial <= 10) {
                  Awaitility.await().until(() -> bandit.speculativeRounds.contains(trial + 1));
                }
                executor.release(trial);
              }
            });
    releaser.start();

    StudyResult result = runner.run();

    // Predictions for subjects 5 to 10, and the counterfactuals' on the real histories (up to 11).
    assertThat(predicted).containsExactlyInAnyOrder(5, 6, 7, 8, 9, 10, 11);
    assertThat(
            result.trials().stream()
                .filter(t -> t.selection().speculative())
                .map(TrialRecord::number))
        .containsExactly(6, 7, 8, 9, 10, 11);
    List<ExecutionLogEntry> log = ExecutionLog.read(state.resolve(study.name()));
    List<ExecutionLogEntry> accepted =
        log.stream().filter(e -> e.verdict() == SpeculationVerdict.ACCEPTED).toList();
    assertThat(accepted).extracting(ExecutionLogEntry::subject).containsExactly(5, 6, 7, 8, 9, 10);
    assertThat(accepted).allSatisfy(e -> assertThat(e.counterfactual()).isNotNull());
    // A start-up trial released before its (empty) prediction came back was a late speculation.
    assertThat(log.stream().filter(e -> e.verdict() != SpeculationVerdict.ACCEPTED))
        .allSatisfy(
            e -> {
              assertThat(e.verdict()).isEqualTo(SpeculationVerdict.LATE);
              assertThat(e.subject()).isLessThan(5);
            });
    assertThat(result.wallClock().accepted()).isEqualTo(6);
    assertThat(result.trials().get(11).parameters()).isEqualTo(accepted.get(5).proposal());
  }
}
