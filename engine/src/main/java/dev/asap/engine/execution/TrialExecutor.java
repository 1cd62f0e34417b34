package dev.asap.engine.execution;

/**
 * Runs trials: as local processes, as Kubernetes Jobs, or on a virtual clock in simulations. The
 * study loop owns the decisions; an executor only starts, watches and stops.
 */
public interface TrialExecutor extends AutoCloseable {

  /**
   * Starts a trial and returns at once. Metric reports go to {@code sink} as they arrive. Failures
   * to start are reported through {@link RunningTrial#exit()}, not thrown.
   */
  RunningTrial start(TrialLaunch launch, MetricSink sink);

  /**
   * Stops work left behind by an earlier run of the study that died, given the {@link
   * RunningTrial#handle()} it recorded. Does nothing when that work has already ended.
   */
  default void reclaim(String handle) {}

  /**
   * Takes over work an earlier run of the study left running, given the {@link
   * RunningTrial#handle()} it recorded, so that a resumed study waits for it instead of stopping
   * it. Reports already made may be sent to {@code sink} again. Returns {@code null} when this
   * executor cannot adopt work (the default: the resumed study then {@link #reclaim reclaims} it
   * and records the trial as interrupted).
   */
  default RunningTrial adopt(String handle, int number, MetricSink sink) {
    return null;
  }

  /** Stops every trial still running. */
  @Override
  default void close() {}
}
