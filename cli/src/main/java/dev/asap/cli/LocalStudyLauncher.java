package dev.asap.cli;

import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.study.Study;
import java.nio.file.Path;

/** Reads study files with the engine's reader and runs trials as local processes. */
final class LocalStudyLauncher implements StudyLauncher {

  @Override
  public Study read(Path file) {
    // TODO(#2): return new StudyDocumentReader().read(file), rethrowing its
    // StudyValidationException as new InvalidStudyException(e.getMessage()).
    throw new UnsupportedOperationException("the study reader is not part of this build yet");
  }

  @Override
  public StudyResult run(Study study, Path stateDir, StudyListener listener) {
    // TODO(#2): try (var executor = new LocalProcessExecutor(...)) { return new
    // StudyRunner(study, executor, stateDir, listener).run(); }
    throw new UnsupportedOperationException("the study loop is not part of this build yet");
  }
}
