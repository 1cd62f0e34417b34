package dev.asap.engine.speculation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A study's execution log: one {@link ExecutionLogEntry} per speculation, one JSON object per line
 * in {@code execution.jsonl} beside the study's journal. The Self-Tuner reads it. Lines are only
 * appended; a line that cannot be read (a crash cut it short) is skipped with a warning, since the
 * log informs tuning and losing one entry costs nothing else.
 */
public final class ExecutionLog {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionLog.class);

  /** The log's file name inside the study's folder. */
  public static final String FILE_NAME = "execution.jsonl";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private final Path file;
  private boolean checkedTail;
  private boolean broken;
  private java.util.function.Consumer<ExecutionLogEntry> observer = entry -> {};

  /** The log in the study folder {@code folder}. */
  public ExecutionLog(Path folder) {
    this.file = folder.resolve(FILE_NAME);
  }

  /**
   * Also hands every appended entry to {@code observer} (on the appending thread), whether or not
   * the file could be written: the operator keeps entries on its trial records.
   */
  public synchronized void observe(java.util.function.Consumer<ExecutionLogEntry> observer) {
    this.observer = observer;
  }

  public Path file() {
    return file;
  }

  /**
   * Appends one entry. The log informs tuning and nothing else, so a log that cannot be written
   * does not stop the study: the first failure is logged as a warning and later entries are
   * dropped. A last line left without its newline (a crash cut it short) is ended first, so that
   * the new entry starts a line of its own.
   */
  public synchronized void append(ExecutionLogEntry entry) {
    try {
      observer.accept(entry);
    } catch (RuntimeException e) {
      LOG.warn("an execution log observer failed: {}", e.toString());
    }
    if (broken) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      String line = JSON.writeValueAsString(entry) + "\n";
      if (!checkedTail) {
        checkedTail = true;
        if (endsWithoutNewline()) {
          line = "\n" + line;
        }
      }
      Files.writeString(
          file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException | RuntimeException e) {
      broken = true;
      LOG.warn(
          "cannot write the execution log {} ({}); this run's speculations go unlogged, the study"
              + " goes on",
          file,
          e.toString());
    }
  }

  private boolean endsWithoutNewline() throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      return false;
    }
    try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
      var last = java.nio.ByteBuffer.allocate(1);
      channel.read(last, channel.size() - 1);
      return last.get(0) != '\n';
    }
  }

  /** Every readable entry of the log in {@code folder}, in order; empty when there is none. */
  public static List<ExecutionLogEntry> read(Path folder) {
    Path file = folder.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the execution log " + file, e);
    }
    var entries = new ArrayList<ExecutionLogEntry>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        entries.add(JSON.readValue(line, ExecutionLogEntry.class));
      } catch (IOException e) {
        LOG.warn("{} line {} is not an execution log entry; skipped", file, i + 1);
      }
    }
    return entries;
  }
}
