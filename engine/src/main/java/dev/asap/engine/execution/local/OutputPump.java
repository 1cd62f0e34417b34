package dev.asap.engine.execution.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one output stream of a trial's process to the trial's log, line by line as the lines come,
 * and hands each line's text on to be read for metrics.
 *
 * <p>The log gets the bytes exactly as the process wrote them. A line ends at {@code \n}, {@code
 * \r\n} or a lone {@code \r} (which progress bars use to redraw), and is written to the log in one
 * piece, so that lines of the two streams sharing one log never mix. A line longer than {@link
 * #LONGEST_LINE} bytes is written out in pieces and not read for metrics. Text is read as UTF-8.
 */
final class OutputPump implements Runnable {
  /** Metric lines are short; past this a "line" is most likely binary output or a progress blob. */
  static final int LONGEST_LINE = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);
  private static final byte[] LF = {'\n'};
  private static final byte[] CR = {'\r'};
  private static final byte[] CRLF = {'\r', '\n'};

  private final InputStream in;
  private final OutputStream log;
  private final Consumer<String> lines;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean overlong;
  private boolean logBroken;
  private volatile long bytesRead;

  /**
   * @param in the process's stream, read to its end and closed
   * @param log the trial's log, shared with the other stream's pump: writes lock on it
   * @param lines receives the text of each line, without its ending
   */
  OutputPump(InputStream in, OutputStream log, Consumer<String> lines) {
    this.in = in;
    this.log = log;
    this.lines = lines;
  }

  @Override
  public void run() {
    byte[] chunk = new byte[8192];
    boolean afterCr = false;
    try (in) {
      int n;
      while ((n = in.read(chunk)) != -1) {
        bytesRead += n; // only this thread writes it
        for (int i = 0; i < n; i++) {
          byte b = chunk[i];
          boolean crlfSplitAcrossReads = afterCr;
          afterCr = false;
          if (b == '\n') {
            // After a split \r\n the line itself has gone already; only its \n is left to write.
            if (crlfSplitAcrossReads) {
              write(LF);
            } else {
              endLine(LF);
            }
          } else if (b == '\r' && i + 1 < n && chunk[i + 1] == '\n') {
            endLine(CRLF);
            i++;
          } else if (b == '\r') {
            endLine(CR);
            afterCr = i == n - 1;
          } else {
            append(b);
          }
        }
      }
      if (line.size() > 0 || overlong) {
        endLine(new byte[0]);
      }
    } catch (IOException e) {
      // The stream closes under the pump when the process is killed; nothing is left to read.
      LOG.debug("stopped reading trial output: {}", e.toString());
    }
  }

  /** How much of the stream has been read so far, to tell a busy pump from a waiting one. */
  long bytesRead() {
    return bytesRead;
  }

  private void append(byte b) {
    if (line.size() == LONGEST_LINE) {
      write(new byte[0]);
      overlong = true;
    }
    line.write(b);
  }

  private void endLine(byte[] ending) {
    String text = overlong ? null : line.toString(StandardCharsets.UTF_8);
    write(ending);
    overlong = false;
    if (text == null) {
      return;
    }
    try {
      lines.accept(text);
    } catch (RuntimeException e) {
      // A pump that died here would leave the process blocked on a full pipe.
      LOG.warn("could not read a line of trial output for metrics", e);
    }
  }

  /** Writes the pending part of the line, then {@code ending}, in one locked piece. */
  private void write(byte[] ending) {
    if (!logBroken) {
      try {
        line.writeBytes(ending);
        synchronized (log) {
          line.writeTo(log);
          log.flush();
        }
      } catch (IOException e) {
        // Keep draining the process, so that it does not block on a full pipe, and keep reading
        // metrics; only the log loses the rest of this stream.
        logBroken = true;
        LOG.warn("cannot write the trial log any more; the rest of this output is not kept", e);
      }
    }
    line.reset();
  }
}
