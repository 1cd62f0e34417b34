package dev.asap.engine.speculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionLogTest {
  @TempDir Path folder;

  @Test
  void readsBackWhatWasAppended() {
    var log = new ExecutionLog(folder);
    log.append(LogEntries.entry(0.05, 0.01));
    log.append(LogEntries.entry(0.5, 0.2));

    assertThat(ExecutionLog.read(folder))
        .containsExactly(LogEntries.entry(0.05, 0.01), LogEntries.entry(0.5, 0.2));
  }

  @Test
  void anEntryAfterALineACrashCutShortStartsALineOfItsOwn() throws Exception {
    new ExecutionLog(folder).append(LogEntries.entry(0.05, 0.01));
    Files.writeString(
        folder.resolve(ExecutionLog.FILE_NAME),
        "{\"study\":\"s\",\"subj",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    new ExecutionLog(folder).append(LogEntries.entry(0.5, 0.2));

    assertThat(ExecutionLog.read(folder))
        .containsExactly(LogEntries.entry(0.05, 0.01), LogEntries.entry(0.5, 0.2));
  }

  @Test
  void aLogThatCannotBeWrittenDoesNotStopTheCaller() throws Exception {
    Files.createDirectories(folder.resolve(ExecutionLog.FILE_NAME));
    var log = new ExecutionLog(folder);

    log.append(LogEntries.entry(0.05, 0.01));
    log.append(LogEntries.entry(0.5, 0.2));

    assertThat(ExecutionLog.read(folder)).isEqualTo(List.of());
  }

  @Test
  void handsEveryAppendedEntryToTheObserver() {
    var log = new ExecutionLog(folder);
    var observed = new ArrayList<ExecutionLogEntry>();
    log.observe(observed::add);

    log.append(LogEntries.entry(0.05, 0.01));
    log.append(LogEntries.entry(0.5, 0.2));

    assertThat(observed).containsExactly(LogEntries.entry(0.05, 0.01), LogEntries.entry(0.5, 0.2));
    assertThat(ExecutionLog.read(folder)).isEqualTo(observed);
  }

  @Test
  void theObserverGetsEntriesTheFileCouldNotTake() throws Exception {
    Path notAFolder = Files.writeString(folder.resolve("study"), "a file where a folder should be");
    var log = new ExecutionLog(notAFolder);
    var observed = new ArrayList<ExecutionLogEntry>();
    log.observe(observed::add);

    log.append(LogEntries.entry(0.05, 0.01));
    log.append(LogEntries.entry(0.5, 0.2));

    assertThat(observed).containsExactly(LogEntries.entry(0.05, 0.01), LogEntries.entry(0.5, 0.2));
    assertThat(Files.readString(notAFolder)).isEqualTo("a file where a folder should be");
  }

  @Test
  void anObserverThatFailsDoesNotStopTheAppend() {
    var log = new ExecutionLog(folder);
    log.observe(
        entry -> {
          throw new IllegalStateException("the trial record is gone");
        });

    log.append(LogEntries.entry(0.05, 0.01));
    log.append(LogEntries.entry(0.5, 0.2));

    assertThat(ExecutionLog.read(folder))
        .containsExactly(LogEntries.entry(0.05, 0.01), LogEntries.entry(0.5, 0.2));
  }
}
