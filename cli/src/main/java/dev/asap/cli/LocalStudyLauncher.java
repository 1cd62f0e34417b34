package dev.asap.cli;

import dev.asap.engine.execution.local.LocalProcessExecutor;
import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.loop.StudyRunner;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudyDocumentReader;
import dev.asap.engine.study.StudyValidationException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Reads study files with the engine's reader and runs trials as local processes. */
final class LocalStudyLauncher implements StudyLauncher {
  /** How long Ctrl-C waits for running trials to be stopped and recorded. */
  private static final long SHUTDOWN_WAIT_SECONDS = 30;

  /** Opens once the command has printed its summary, so that Ctrl-C does not cut it short. */
  private final CountDownLatch reported = new CountDownLatch(1);

  @Override
  public void reported() {
    reported.countDown();
  }

  @Override
  public Study read(Path file) {
    try {
      return new StudyDocumentReader().read(file);
    } catch (StudyValidationException e) {
      throw new InvalidStudyException(e.getMessage());
    }
  }

  @Override
  public StudyResult run(Study study, Path stateDir, StudyListener listener) {
    try (var executor = new LocalProcessExecutor()) {
      var runner = new StudyRunner(study, executor, stateDir, listener);
      // Ctrl-C (SIGINT/SIGTERM) stops the running trials and records them as interrupted, so
      // that the next run refills their slots; a SIGKILL leaves that to the next run's recovery.
      Thread hook =
          new Thread(
              () -> {
                runner.requestInterrupt();
                try {
                  reported.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "asap-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return runner.run();
      } catch (IllegalStateException | java.io.UncheckedIOException e) {
        // The state folder holds a study this file cannot resume, is locked by another run, or
        // cannot be written: nothing more will be printed.
        reported.countDown();
        throw new InvalidStudyException(
            e instanceof java.io.UncheckedIOException u
                ? e.getMessage() + ": " + u.getCause().getMessage()
                : e.getMessage());
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running; it returns once the command has printed its summary.
        }
      }
    }
  }
}
