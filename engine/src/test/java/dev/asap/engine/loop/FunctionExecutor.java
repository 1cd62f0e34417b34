package dev.asap.engine.loop;

import dev.asap.engine.execution.MetricReport;
import dev.asap.engine.execution.MetricSink;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExecutor;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.engine.space.Configuration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Test double of an executor: a "trial" is a function of its configuration that returns the metrics
 * to report and an exit, run on its own thread. Trials can be held running until released, so tests
 * control the order in which they end. Used where a real process would only add noise; the local
 * executor has its own tests with real processes.
 */
final class FunctionExecutor implements TrialExecutor {
  /** What a trial does: metrics to report, then how it exits. */
  record Outcome(Map<String, Double> metrics, TrialExit exit) {
    static Outcome reports(String metric, double value) {
      return new Outcome(Map.of(metric, value), new TrialExit(TrialExit.Kind.EXITED, 0, null));
    }
  }

  final List<TrialLaunch> launches = new CopyOnWriteArrayList<>();
  final List<String> reclaimed = new CopyOnWriteArrayList<>();
  final List<CompletableFuture<Void>> gates = new CopyOnWriteArrayList<>();
  final List<String> adopted = new CopyOnWriteArrayList<>();
  private final Map<String, Adoptable> adoptable = new ConcurrentHashMap<>();
  private final Function<Configuration, Outcome> trial;
  private final boolean held;
  private final boolean inline;

  /** Trials end as soon as they start. */
  FunctionExecutor(Function<Configuration, Outcome> trial) {
    this(trial, false);
  }

  /** With {@code held}, each trial waits until {@link #release(int)} lets it end. */
  FunctionExecutor(Function<Configuration, Outcome> trial, boolean held) {
    this(trial, held, false);
  }

  /**
   * With {@code inline}, a held trial runs on the thread that releases it, so that its reports and
   * exit are queued for the loop by the time {@link #release(int)} returns.
   */
  FunctionExecutor(Function<Configuration, Outcome> trial, boolean held, boolean inline) {
    this.trial = trial;
    this.held = held;
    this.inline = inline;
  }

  void release(int trialNumber) {
    gates.get(trialNumber).complete(null);
  }

  @Override
  public RunningTrial start(TrialLaunch launch, MetricSink sink) {
    launches.add(launch);
    var gate = new CompletableFuture<Void>();
    gates.add(gate);
    if (!held) {
      gate.complete(null);
    }
    var exit = new CompletableFuture<TrialExit>();
    var stopped = new CompletableFuture<String>();
    Executor runOn = inline ? Runnable::run : ForkJoinPool.commonPool();
    gate.thenRunAsync(
        () -> {
          Outcome o = trial.apply(launch.configuration());
          var names = new ArrayList<>(o.metrics().keySet());
          names.sort(null);
          for (String name : names) {
            sink.report(new MetricReport(name, o.metrics().get(name), null, Instant.now()));
          }
          exit.complete(o.exit());
        },
        runOn);
    stopped.thenAccept(
        reason -> exit.complete(new TrialExit(TrialExit.Kind.STOPPED, null, reason)));
    return new RunningTrial() {
      @Override
      public CompletableFuture<TrialExit> exit() {
        return exit;
      }

      @Override
      public String handle() {
        return "fn:" + launch.number();
      }

      @Override
      public void stop(String reason) {
        stopped.complete(reason);
      }
    };
  }

  /**
   * Lets {@link #adopt} take over the work behind {@code handle}, as if an earlier run had left it
   * running: adopting it reports {@code replayed} to the new sink at once, and the trial exits with
   * {@code exit} when the returned future is completed.
   */
  CompletableFuture<Void> adoptable(String handle, Map<String, Double> replayed, TrialExit exit) {
    var gate = new CompletableFuture<Void>();
    adoptable.put(handle, new Adoptable(replayed, exit, gate));
    return gate;
  }

  private record Adoptable(
      Map<String, Double> replayed, TrialExit exit, CompletableFuture<Void> gate) {}

  @Override
  public RunningTrial adopt(String handle, int number, MetricSink sink) {
    Adoptable work = adoptable.get(handle);
    if (work == null) {
      return null;
    }
    adopted.add(handle);
    var names = new ArrayList<>(work.replayed().keySet());
    names.sort(null);
    for (String name : names) {
      sink.report(new MetricReport(name, work.replayed().get(name), null, Instant.now()));
    }
    var exit = new CompletableFuture<TrialExit>();
    work.gate().thenRun(() -> exit.complete(work.exit()));
    return new RunningTrial() {
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
        exit.complete(new TrialExit(TrialExit.Kind.STOPPED, null, reason));
      }
    };
  }

  @Override
  public void reclaim(String handle) {
    reclaimed.add(handle);
  }
}
