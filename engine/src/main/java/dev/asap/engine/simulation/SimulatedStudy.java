package dev.asap.engine.simulation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.asap.engine.integrator.SourceBandit;
import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.loop.StudyRunner;
import dev.asap.engine.optimizer.OptimizerPool;
import dev.asap.engine.speculation.ThresholdSource;
import dev.asap.engine.speculation.ValuePredictor;
import dev.asap.engine.study.Budget;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.MetricsCollector;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.SpeculationSpec;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudySpec;
import dev.asap.engine.study.TrialTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A whole study of a benchmark function on a virtual clock: the real study loop, the real pool and
 * speculation, trials as {@link SimulatedExecutor} evaluations and the LLM's choice as a {@link
 * SimulatedLatencyIntegrator}. Tests and the speculation benchmark use it.
 */
public final class SimulatedStudy {

  /** The objective metric simulated trials report. */
  public static final String METRIC = "value";

  /** Where every simulated study's clock starts, so that journals of equal runs are equal. */
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * What to simulate.
   *
   * @param function the function trials evaluate (minimized)
   * @param trials how many trials
   * @param parallelism how many run at once
   * @param cost each trial's evaluation time
   * @param latency each LLM round's time
   * @param pool the pool members
   * @param seed the study's seed
   * @param speculation speculation settings
   * @param measuresCompute whether the optimizers' real computing time is charged to the clock
   *     (false makes a run exactly repeatable)
   * @param timeout the study's simulated time budget, or {@code null} for none (then it ends after
   *     {@code trials} trials)
   */
  public record Settings(
      BenchmarkFunction function,
      int trials,
      int parallelism,
      EvaluationCost cost,
      LatencyModel latency,
      List<String> pool,
      long seed,
      SpeculationSpec speculation,
      boolean measuresCompute,
      Duration timeout) {
    public Settings {
      pool = List.copyOf(pool);
    }

    /** Settings without a time budget. */
    public Settings(
        BenchmarkFunction function,
        int trials,
        int parallelism,
        EvaluationCost cost,
        LatencyModel latency,
        List<String> pool,
        long seed,
        SpeculationSpec speculation,
        boolean measuresCompute) {
      this(
          function,
          trials,
          parallelism,
          cost,
          latency,
          pool,
          seed,
          speculation,
          measuresCompute,
          null);
    }

    /** These settings with a simulated time budget. */
    public Settings withTimeout(Duration t) {
      return new Settings(
          function,
          trials,
          parallelism,
          cost,
          latency,
          pool,
          seed,
          speculation,
          measuresCompute,
          t);
    }

    /** These settings with other speculation settings. */
    public Settings withSpeculation(SpeculationSpec s) {
      return new Settings(
          function, trials, parallelism, cost, latency, pool, seed, s, measuresCompute, timeout);
    }

    /** These settings with another seed. */
    public Settings withSeed(long s) {
      return new Settings(
          function,
          trials,
          parallelism,
          cost,
          latency,
          pool,
          s,
          speculation,
          measuresCompute,
          timeout);
    }
  }

  /**
   * What a simulated study gave.
   *
   * @param result the study loop's result, wall-clock accounting included
   * @param best the best value found
   * @param regret {@code best} minus the function's known minimum
   * @param simulatedTime the virtual time from the study's start to its end
   */
  public record Outcome(StudyResult result, double best, double regret, Duration simulatedTime) {}

  private SimulatedStudy() {}

  /** The study {@code settings} describe, named {@code name}. */
  public static Study study(String name, Settings settings) {
    var template = JsonNodeFactory.instance.objectNode();
    template
        .putObject("spec")
        .putArray("containers")
        .addObject()
        .put("name", "simulated")
        .put("image", "none");
    var spec =
        new StudySpec(
            new Objective(METRIC, Direction.MINIMIZE, null, List.of()),
            settings.function().space(),
            new Budget(
                settings.trials(),
                settings.trials(),
                settings.parallelism(),
                settings.timeout(),
                null),
            settings.pool(),
            IntegratorSpec.llm(IntegratorSpec.Llm.defaults()),
            new TrialTemplate(template, null, MetricsCollector.stdout()),
            settings.seed(),
            settings.speculation());
    return new Study(name, null, spec, Path.of("."));
  }

  /**
   * Runs the study to its end with state under {@code stateDir}.
   *
   * @param predictor how running trials' values are predicted, or {@code null} for the pool's
   *     surrogates
   * @param thresholds where an "auto" threshold comes from, or {@code null} for the Self-Tuner's
   *     state file in {@code stateDir}
   */
  public static Outcome run(
      String name,
      Settings settings,
      Path stateDir,
      ValuePredictor predictor,
      ThresholdSource thresholds) {
    return run(name, settings, stateDir, predictor, thresholds, executor -> executor);
  }

  /**
   * Runs the study as {@link #run(String, Settings, Path, ValuePredictor, ThresholdSource)} does,
   * with the executor adjusted by {@code executorSetup} (to make chosen trials fail, say).
   */
  public static Outcome run(
      String name,
      Settings settings,
      Path stateDir,
      ValuePredictor predictor,
      ThresholdSource thresholds,
      java.util.function.UnaryOperator<SimulatedExecutor> executorSetup) {
    Study study = study(name, settings);
    var clock = new VirtualClock(EPOCH, settings.measuresCompute());
    var integrator = new SimulatedLatencyIntegrator(new SourceBandit(), settings.latency(), clock);
    try (var executor =
        executorSetup.apply(
            new SimulatedExecutor(clock, settings.function(), METRIC, settings.cost()))) {
      var runner =
          new StudyRunner(
              study,
              executor,
              stateDir,
              new StudyListener() {},
              round -> OptimizerPool.create(settings.pool(), settings.seed(), round),
              integrator,
              clock);
      if (predictor != null) {
        runner.predictor(predictor);
      }
      if (thresholds != null) {
        runner.thresholds(thresholds);
      }
      StudyResult result = runner.run();
      double best = result.best() == null ? Double.POSITIVE_INFINITY : result.best().objective();
      return new Outcome(
          result,
          best,
          best - settings.function().minimum(),
          Duration.between(EPOCH, clock.instant()));
    }
  }
}
