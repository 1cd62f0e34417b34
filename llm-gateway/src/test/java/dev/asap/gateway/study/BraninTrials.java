package dev.asap.gateway.study;

import dev.asap.engine.execution.MetricReport;
import dev.asap.engine.execution.MetricSink;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExecutor;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.execution.TrialLaunch;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Trials that evaluate the Branin function in-process and end at once: the study's work is the
 * benchmark function itself, so that these tests spend their time where they measure it, in the
 * rounds between trials.
 */
final class BraninTrials implements TrialExecutor {

  static double branin(double x1, double x2) {
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
  }

  @Override
  public RunningTrial start(TrialLaunch launch, MetricSink sink) {
    double x1 = ((Number) launch.configuration().get("x1")).doubleValue();
    double x2 = ((Number) launch.configuration().get("x2")).doubleValue();
    sink.report(new MetricReport("loss", branin(x1, x2), null, Instant.now()));
    CompletableFuture<TrialExit> exit =
        CompletableFuture.completedFuture(new TrialExit(TrialExit.Kind.EXITED, 0, null));
    return new RunningTrial() {
      @Override
      public CompletableFuture<TrialExit> exit() {
        return exit;
      }

      @Override
      public String handle() {
        return "branin:" + launch.number();
      }

      @Override
      public void stop(String reason) {}
    };
  }
}
