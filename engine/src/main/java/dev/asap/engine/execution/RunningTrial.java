package dev.asap.engine.execution;

import java.util.concurrent.CompletableFuture;

/** A trial that an executor has started. */
public interface RunningTrial {

  /** Completes once the trial has ended, however it ended; never completes exceptionally. */
  CompletableFuture<TrialExit> exit();

  /**
   * An identifier of the running work that survives the study process (a local process id with its
   * start time, a Job name), kept in the history so that a resumed study can {@link
   * TrialExecutor#reclaim reclaim} it.
   */
  String handle();

  /** Asks the trial to stop; {@link #exit()} then completes with {@link TrialExit.Kind#STOPPED}. */
  void stop(String reason);
}
