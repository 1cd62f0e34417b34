package dev.asap.engine.simulation;

import dev.asap.engine.execution.MetricReport;
import dev.asap.engine.execution.MetricSink;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExecutor;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.engine.study.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * Runs a trial as one evaluation of a benchmark function on a {@link VirtualClock}, so that a study
 * of hundreds of trials, with trials that "take" minutes, runs in seconds and the same way every
 * time.
 *
 * <p>{@link #start} evaluates the function at once, without charging the clock for it, and
 * schedules the trial's end at {@code now + cost(trial number)}: the objective's value reported to
 * the sink, then a clean exit. A trial whose time limit is shorter than its cost ends {@link
 * TrialExit.Kind#TIMED_OUT} at the limit without a report. For tests of the study loop, chosen
 * trials can be made to fail (exit code 1, no report) or to report NaN.
 *
 * <p>Driven, like the clock, from the one thread that runs the simulated study.
 */
public final class SimulatedExecutor implements TrialExecutor {
  private static final IntPredicate NONE = n -> false;

  private final VirtualClock clock;
  private final BenchmarkFunction function;
  private final String metric;
  private final EvaluationCost cost;
  private final IntPredicate failing;
  private final IntPredicate reportingNaN;
  private final Set<SimulatedTrial> running = ConcurrentHashMap.newKeySet();

  /**
   * @param clock the clock the trials' ends are scheduled on
   * @param function what a trial computes
   * @param metric the name the value is reported under (the study's objective metric)
   * @param cost how long each trial runs
   */
  public SimulatedExecutor(
      VirtualClock clock, BenchmarkFunction function, String metric, EvaluationCost cost) {
    this(clock, function, metric, cost, NONE, NONE);
  }

  private SimulatedExecutor(
      VirtualClock clock,
      BenchmarkFunction function,
      String metric,
      EvaluationCost cost,
      IntPredicate failing,
      IntPredicate reportingNaN) {
    this.clock = clock;
    this.function = function;
    this.metric = metric;
    this.cost = cost;
    this.failing = failing;
    this.reportingNaN = reportingNaN;
  }

  /** This executor, with the trials whose numbers match {@code failing} exiting with code 1. */
  public SimulatedExecutor withFailures(IntPredicate failing) {
    return new SimulatedExecutor(clock, function, metric, cost, failing, reportingNaN);
  }

  /** This executor, with the trials whose numbers match {@code reportingNaN} reporting NaN. */
  public SimulatedExecutor withNaNReports(IntPredicate reportingNaN) {
    return new SimulatedExecutor(clock, function, metric, cost, failing, reportingNaN);
  }

  @Override
  public RunningTrial start(TrialLaunch launch, MetricSink sink) {
    int number = launch.number();
    var trial = new SimulatedTrial("sim-" + number);
    double value;
    try {
      value = function.value(launch.configuration());
    } catch (IllegalArgumentException e) {
      trial.end(new TrialExit(TrialExit.Kind.FAILED_TO_START, null, e.getMessage()));
      return trial;
    }
    running.add(trial);
    Instant started = clock.instant();
    Duration runtime = cost.of(number);
    Duration limit = launch.timeout();
    if (limit != null && limit.compareTo(runtime) < 0) {
      String detail = "ran past its time limit of " + DurationText.format(limit);
      clock.schedule(
          started.plus(limit),
          () -> trial.end(new TrialExit(TrialExit.Kind.TIMED_OUT, null, detail)));
    } else if (failing.test(number)) {
      clock.schedule(
          started.plus(runtime),
          () ->
              trial.end(
                  new TrialExit(
                      TrialExit.Kind.EXITED, 1, "exited with code 1 (injected failure)")));
    } else {
      double reported = reportingNaN.test(number) ? Double.NaN : value;
      clock.schedule(
          started.plus(runtime),
          () -> {
            if (!trial.exit().isDone()) {
              sink.report(new MetricReport(metric, reported, null, clock.instant()));
              trial.end(new TrialExit(TrialExit.Kind.EXITED, 0, null));
            }
          });
    }
    return trial;
  }

  /** Stops every trial still running. */
  @Override
  public void close() {
    List.copyOf(running).forEach(t -> t.stop("the simulated executor closed"));
  }

  /** A simulated trial: ends once, by its scheduled end or by {@link #stop}, whichever is first. */
  private final class SimulatedTrial implements RunningTrial {
    private final String handle;
    private final CompletableFuture<TrialExit> exit = new CompletableFuture<>();

    SimulatedTrial(String handle) {
      this.handle = handle;
    }

    /** Ends the trial unless it has already ended; a stopped trial's scheduled end does nothing. */
    void end(TrialExit how) {
      running.remove(this);
      exit.complete(how);
    }

    @Override
    public CompletableFuture<TrialExit> exit() {
      return exit;
    }

    @Override
    public String handle() {
      return handle;
    }

    @Override
    public void stop(String reason) {
      end(new TrialExit(TrialExit.Kind.STOPPED, null, reason));
    }
  }
}
