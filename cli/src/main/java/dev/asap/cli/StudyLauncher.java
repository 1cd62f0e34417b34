package dev.asap.cli;

import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.study.Study;
import java.io.IOException;
import java.nio.file.Path;

/** What the command needs from the engine: read a study file, and run a study to its end. */
public interface StudyLauncher {

  /**
   * Reads and validates a study file.
   *
   * @throws InvalidStudyException when the file is not a valid study
   */
  Study read(Path file) throws IOException;

  /**
   * Runs {@code study} on this machine, resuming it from {@code stateDir} when an earlier run left
   * it unfinished.
   */
  StudyResult run(Study study, Path stateDir, StudyListener listener) throws IOException;

  /**
   * The command has printed everything about the last run; a shutdown in progress (Ctrl-C) may now
   * let the process exit.
   */
  default void reported() {}
}
