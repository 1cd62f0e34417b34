package dev.asap.engine.speculation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thresholds from the Self-Tuner's state file, re-read only when the file changed, so that the
 * study loop can ask before every accept test for the cost of one file-attribute lookup.
 *
 * <p>A change is a different modification time, size or file identity (the tuner replaces the file
 * by a rename, which gives it a new identity even within one clock tick). A file that becomes
 * unreadable or invalid while a study runs must not stop the study: the change is logged once and
 * the last good values stay in use until the next change.
 */
public final class FileThresholds implements ThresholdSource {
  private static final Logger LOG = LoggerFactory.getLogger(FileThresholds.class);

  private final Path stateFile;
  private final double fallback;

  private Version seen;
  private TunerState state = TunerState.empty();

  /**
   * Creates the source.
   *
   * @param stateFile the Self-Tuner's state file; it need not exist yet
   * @param fallback τ for a study when the state names neither it nor a default; finite and {@code
   *     >= 0}
   */
  public FileThresholds(Path stateFile, double fallback) {
    if (!(fallback >= 0) || !Double.isFinite(fallback)) {
      throw new IllegalArgumentException("fallback must be finite and >= 0, was " + fallback);
    }
    this.stateFile = stateFile;
    this.fallback = fallback;
  }

  /** The study's τ, else the default's, else the fallback, from the file as it is now. */
  @Override
  public synchronized double tau(String study) {
    refresh();
    return state.tauFor(study).orElse(fallback);
  }

  private void refresh() {
    Version now = Version.of(stateFile);
    if (Objects.equals(now, seen)) {
      return;
    }
    seen = now;
    if (now == null) {
      // Deleted: the tuner has nothing to say any more, as before its first run.
      state = TunerState.empty();
      return;
    }
    try {
      state = TunerState.read(stateFile);
      LOG.info("read the Self-Tuner state {}", stateFile);
    } catch (IllegalStateException e) {
      LOG.warn("{}; keeping the thresholds read before", e.getMessage());
    }
  }

  /** What identifies one version of the file; {@code null} when there is no file. */
  private record Version(Object key, FileTime modified, long size) {
    static Version of(Path file) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Version(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        // Attributes that cannot be read count as one version: the read below reports it once.
        return new Version(e.toString(), null, -1);
      }
    }
  }
}
