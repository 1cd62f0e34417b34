package dev.asap.gateway.study;

import dev.asap.engine.history.LlmCall;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.integrator.Integrator;
import dev.asap.engine.integrator.SourceBandit;
import dev.asap.engine.integrator.llm.GatewayClient;
import dev.asap.engine.integrator.llm.HistoryOrder;
import dev.asap.engine.integrator.llm.LlmIntegrator;
import dev.asap.engine.integrator.llm.PrefixStablePrompt;
import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.loop.StudyRunner;
import dev.asap.engine.optimizer.OptimizerPool;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudyDocumentReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A study of the Branin function with the whole pool, one trial at a time, run by the engine's own
 * study loop against a gateway on loopback.
 */
final class BraninStudy {
  private final Path state;
  private final String name;

  BraninStudy(Path state, String name) {
    this.state = state;
    this.name = name;
  }

  Study study(int maxTrials) {
    String yaml =
        """
        apiVersion: asap.dev/v1alpha1
        kind: HpoStudy
        metadata: {name: %s}
        spec:
          seed: 11
          objective: {metric: loss, direction: minimize}
          searchSpace:
            parameters:
              - {name: x1, type: float, min: -5, max: 10}
              - {name: x2, type: float, min: 0, max: 15}
          budget: {maxTrials: %d, maxFailedTrials: 3, parallelism: 1}
          pool: {optimizers: [random, sobol, tpe, gp, cmaes, forest]}
          integrator: {type: bandit}
          trialTemplate:
            metrics: {collector: stdout}
            template: {spec: {containers: [{name: trainer, command: ["true"]}]}}
        """
            .formatted(name, maxTrials);
    return new StudyDocumentReader().read(yaml, state);
  }

  /** Runs the study up to {@code maxTrials} with {@code integrator}, resuming what is recorded. */
  StudyResult run(int maxTrials, Integrator integrator, StudyListener listener) {
    Study study = study(maxTrials);
    return new StudyRunner(
            study,
            new BraninTrials(),
            state,
            listener,
            round -> OptimizerPool.create(study.spec().optimizers(), study.spec().seed(), round),
            integrator,
            Clock.systemUTC())
        .run();
  }

  /** The LLM integrator through the gateway at {@code port}, history in {@code order}. */
  LlmIntegrator llm(int port, HistoryOrder order) {
    Study study = study(1);
    var settings =
        new IntegratorSpec.Llm(
            URI.create("http://127.0.0.1:" + port + "/v1"), "default", Duration.ofSeconds(120));
    return new LlmIntegrator(
        new PrefixStablePrompt(study.spec(), PrefixStablePrompt.DEFAULT_MAX_HISTORY_LINES, order),
        new GatewayClient(settings, name),
        new SourceBandit(),
        study.spec().seed());
  }

  /** The LLM calls of the trials numbered {@code from} on, in trial order. */
  static List<LlmCall> calls(StudyResult result, int from) {
    return result.trials().stream()
        .filter(t -> t.number() >= from)
        .map(TrialRecord::selection)
        .map(s -> s.llm())
        .toList();
  }
}
