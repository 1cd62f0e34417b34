package dev.asap.engine.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only record of a study's trials on disk: one JSON object per line in {@code
 * trials.jsonl}, a header line first, then a snapshot of a trial each time it changes state. The
 * latest snapshot of a trial number is its current record.
 *
 * <p>Why append-only snapshots rather than a rewritten file: a crash can only ever lose the line
 * being written, never an earlier one, and the file doubles as the trial's timeline. Each line is
 * forced to disk before {@link #append} returns. A line cut short by a crash is dropped (and the
 * file truncated to the last whole line) when the journal is opened again.
 *
 * <p>The header carries a fingerprint of the search space and objective: resuming a study whose
 * file changed in those respects would mix incomparable trials, so it is refused; budget and pool
 * changes are allowed.
 */
public final class StudyJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StudyJournal.class);
  static final String FILE_NAME = "trials.jsonl";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private final Path file;
  private final FileChannel channel;

  /** Held open while the journal is: its lock keeps a second run off the same study. */
  private final FileChannel lockChannel;

  private final TreeMap<Integer, TrialRecord> trials;
  private final List<Integer> endOrder;

  private StudyJournal(
      Path file,
      FileChannel channel,
      FileChannel lockChannel,
      TreeMap<Integer, TrialRecord> trials,
      List<Integer> endOrder) {
    this.file = file;
    this.channel = channel;
    this.lockChannel = lockChannel;
    this.trials = trials;
    this.endOrder = endOrder;
  }

  /**
   * Opens the journal in {@code folder}, creating it for a new study.
   *
   * @throws IllegalStateException when the folder holds a study with another fingerprint
   */
  public static StudyJournal open(Path folder, String study, String fingerprint) {
    try {
      Files.createDirectories(folder);
      Path file = folder.resolve(FILE_NAME);
      var trials = new TreeMap<Integer, TrialRecord>();
      var endOrder = new ArrayList<Integer>();
      FileChannel lockChannel =
          FileChannel.open(
              folder.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException heldHere) {
        lock = null; // this process already holds it
      }
      if (lock == null) {
        lockChannel.close();
        throw new IllegalStateException(
            "another asap run is already running study '"
                + study
                + "' in "
                + folder
                + "; wait for it to end or stop it first");
      }
      if (Files.exists(file)) {
        truncateTornTail(file);
      }
      boolean fresh = !Files.exists(file) || Files.size(file) == 0;
      if (!fresh) {
        readExisting(file, study, fingerprint, trials, endOrder);
      }
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      var journal = new StudyJournal(file, channel, lockChannel, trials, endOrder);
      if (fresh) {
        ObjectNode header = JSON.createObjectNode();
        header.put("type", "study");
        header.put("name", study);
        header.put("fingerprint", fingerprint);
        header.put("createdAt", Instant.now().toString());
        journal.writeLine(header);
      }
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the study journal in " + folder, e);
    }
  }

  private static void readExisting(
      Path file,
      String study,
      String fingerprint,
      TreeMap<Integer, TrialRecord> trials,
      List<Integer> endOrder)
      throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException(file + " is not UTF-8 text; it is not a study journal", e);
    }
    boolean header = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        throw new IllegalStateException(
            file + " line " + (i + 1) + " is not a journal record; fix or remove that line", e);
      }
      String type = node.path("type").asText();
      if (!header && !type.equals("study")) {
        throw new IllegalStateException(
            file
                + " does not start with its study header, so it cannot be checked against the"
                + " study file; remove the folder to start over");
      }
      if (type.equals("study")) {
        header = true;
        String had = node.path("fingerprint").asText();
        if (!had.equals(fingerprint)) {
          throw new IllegalStateException(
              file
                  + " records study '"
                  + node.path("name").asText()
                  + "' with a different search space or objective than '"
                  + study
                  + "' has now; resuming would mix incomparable trials. Use another --state-dir,"
                  + " or remove that folder to start over.");
        }
      } else if (type.equals("trial")) {
        TrialRecord r;
        try {
          r = JSON.treeToValue(node.path("record"), TrialRecord.class);
        } catch (IOException e) {
          throw new IllegalStateException(
              file + " line " + (i + 1) + " is not a valid trial record: " + e.getMessage(), e);
        }
        if (r.state() == null || (r.state() == TrialState.COMPLETED && r.objective() == null)) {
          throw new IllegalStateException(
              file + " line " + (i + 1) + " is not a valid trial record: no state or objective");
        }
        TrialRecord before = trials.put(r.number(), r);
        if (r.state().terminal() && (before == null || !before.state().terminal())) {
          endOrder.add(r.number());
        }
      } else {
        LOG.warn("{} line {}: unknown record type '{}', ignored", file, i + 1, type);
      }
    }
  }

  /** Drops a last line that a crash cut short, so the next append starts on a line of its own. */
  private static void truncateTornTail(Path file) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long keep = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (keep > 0) {
        one.clear();
        ch.read(one, keep - 1);
        if (one.get(0) == '\n') {
          break;
        }
        keep--;
      }
      if (keep < size && wholeRecord(ch, keep, size)) {
        // The record was written whole; only its newline is missing.
        ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
        return;
      }
      if (keep < size) {
        LOG.warn("{}: dropping {} bytes of a line cut short by a crash", file, size - keep);
        ch.truncate(keep);
      }
    }
  }

  private static boolean wholeRecord(FileChannel ch, long from, long to) throws IOException {
    ByteBuffer tail = ByteBuffer.allocate((int) Math.min(to - from, 1 << 20));
    ch.read(tail, from);
    try {
      JSON.readTree(new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Records a trial's new state durably. */
  public synchronized void append(TrialRecord record) {
    TrialRecord before = trials.get(record.number());
    ObjectNode line = JSON.createObjectNode();
    line.put("type", "trial");
    line.set("record", JSON.valueToTree(record));
    writeLine(line);
    trials.put(record.number(), record);
    if (record.state().terminal() && (before == null || !before.state().terminal())) {
      endOrder.add(record.number());
    }
  }

  private void writeLine(ObjectNode node) {
    try {
      byte[] bytes = (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the study journal " + file, e);
    }
  }

  /** Every trial's current record, in number order. */
  public synchronized List<TrialRecord> trials() {
    return List.copyOf(trials.values());
  }

  /** The trials that have ended, in the order they ended. */
  public synchronized List<TrialRecord> endedInOrder() {
    return endOrder.stream().map(trials::get).toList();
  }

  /** The journal's file. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
