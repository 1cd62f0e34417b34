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

  /** Stops every trial still running. */
  @Override
  default void close() {}
}
