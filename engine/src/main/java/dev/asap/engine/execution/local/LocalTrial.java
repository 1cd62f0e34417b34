package dev.asap.engine.execution.local;

import dev.asap.engine.execution.MetricLineParser;
import dev.asap.engine.execution.MetricReport;
import dev.asap.engine.execution.MetricSink;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.study.DurationText;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trial running as a local process: its output pumped into its log and read for metrics, its time
 * limit watched, and its process tree stopped on request.
 */
final class LocalTrial implements RunningTrial {
  private static final Logger LOG = LoggerFactory.getLogger(LocalTrial.class);

  /** Marks a trial whose process has ended, so that a later stop or time-out changes nothing. */
  private static final TrialExit ENDED = new TrialExit(TrialExit.Kind.EXITED, null, "ended");

  /** The shortest wait for output after a process has ended, whatever the grace period. */
  private static final Duration MIN_OUTPUT_CHECK = Duration.ofSeconds(1);

  /** How many check periods the output may keep coming after the process has ended. */
  private static final int OUTPUT_CHECKS = 10;

  private final String name;
  private final Process process;
  private final String handle;
  private final MetricSink sink;
  private final Duration grace;
  private final ScheduledExecutorService timer;
  private final CompletableFuture<TrialExit> exit = new CompletableFuture<>();
  private final AtomicReference<TrialExit> ending = new AtomicReference<>();
  private final List<OutputPump> pumps = new CopyOnWriteArrayList<>();
  private volatile ScheduledFuture<?> timeLimit;
  private boolean reporting = true; // guarded by this
  private String lastLine; // guarded by this

  /** How much of the last output line a failure's detail quotes. */
  static final int QUOTED_LINE = 200;

  /**
   * @param name the trial's name in logs and thread names
   * @param grace how long a stopped process has between SIGTERM and SIGKILL, and how long (1 s at
   *     least) the output may stay open, with nothing coming, after the process has ended
   */
  private LocalTrial(
      String name,
      Process process,
      MetricSink sink,
      Duration grace,
      ScheduledExecutorService timer) {
    this.name = name;
    this.process = process;
    this.handle = ProcessTree.handle(process.toHandle());
    this.sink = sink;
    this.grace = grace;
    this.timer = timer;
  }

  /**
   * Watches a started process: pumps its output into {@code log} (closed once both streams end),
   * reports its metrics to {@code sink}, and stops it after {@code timeout} when not {@code null}.
   */
  static LocalTrial watch(
      String name,
      Process process,
      OutputStream log,
      MetricSink sink,
      Duration timeout,
      Duration grace,
      ScheduledExecutorService timer) {
    var trial = new LocalTrial(name, process, sink, grace, timer);
    trial.begin(log, timeout);
    return trial;
  }

  private void begin(OutputStream log, Duration timeout) {
    closeQuietly(process.getOutputStream()); // the trial reads an empty standard input
    CompletableFuture<Void> output =
        CompletableFuture.allOf(
            pump(process.getInputStream(), log, "stdout"),
            pump(process.getErrorStream(), log, "stderr"));
    output.whenComplete((ok, e) -> closeQuietly(log));
    if (timeout != null) {
      timeLimit = timer.schedule(() -> timeOut(timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    process.onExit().whenComplete((p, e) -> processEnded(output));
  }

  private CompletableFuture<Void> pump(InputStream in, OutputStream log, String stream) {
    var done = new CompletableFuture<Void>();
    var pump = new OutputPump(in, log, this::read);
    pumps.add(pump);
    var thread =
        new Thread(
            () -> {
              try {
                pump.run();
              } finally {
                done.complete(null);
              }
            },
            "asap-" + name + "-" + stream);
    thread.setDaemon(true);
    thread.start();
    return done;
  }

  /** Reads one line of output for metrics; the two streams' pumps take turns. */
  private synchronized void read(String line) {
    if (!line.isBlank()) {
      lastLine = line.strip();
    }
    if (!reporting) {
      return; // the study has moved on from this trial
    }
    for (MetricReport report : MetricLineParser.parse(line, Instant.now())) {
      sink.report(report);
    }
  }

  private void timeOut(Duration limit) {
    String detail = "ran past its time limit of " + DurationText.format(limit);
    if (process.isAlive()
        && ending.compareAndSet(null, failure(TrialExit.Kind.TIMED_OUT, detail))) {
      LOG.info("{} {}; stopping it", name, detail);
      ProcessTree.stop(process.toHandle(), grace, timer);
    }
  }

  @Override
  public void stop(String reason) {
    if (process.isAlive() && ending.compareAndSet(null, failure(TrialExit.Kind.STOPPED, reason))) {
      LOG.info("stopping {}: {}", name, reason);
      ProcessTree.stop(process.toHandle(), grace, timer);
    }
  }

  private void processEnded(CompletableFuture<Void> output) {
    try {
      ScheduledFuture<?> limit = timeLimit;
      if (limit != null) {
        limit.cancel(false);
      }
      int code = process.exitValue();
      TrialExit cause = ending.getAndSet(ENDED);
      TrialExit result =
          cause == null
              ? new TrialExit(TrialExit.Kind.EXITED, code, null)
              : new TrialExit(cause.kind(), code, cause.detail());
      LOG.debug("{} ended: {}", name, result);
      output.thenRun(() -> finish(result));
      if (!output.isDone()) {
        awaitOutputLater(result, bytesRead(), OUTPUT_CHECKS);
      }
    } catch (RuntimeException e) {
      exit.complete(new TrialExit(TrialExit.Kind.EXITED, null, "ended; " + e));
    }
  }

  /**
   * Ends the trial without the rest of its output if, after its process has ended, the output stays
   * open with nothing coming for a check period, or after {@link #OUTPUT_CHECKS} periods at most. A
   * process the trial left running in the background can hold the output open indefinitely; it is
   * no longer a descendant, so it cannot be found to be stopped. What it writes still goes to the
   * log.
   */
  private void awaitOutput(TrialExit result, long seen, int checksLeft) {
    if (exit.isDone()) {
      return;
    }
    long read = bytesRead();
    if (read != seen && checksLeft > 0) {
      awaitOutputLater(result, read, checksLeft - 1); // still draining what the process wrote
      return;
    }
    LOG.warn(
        "{} has ended but something it started keeps its output open; not waiting for it", name);
    finish(result);
  }

  private void awaitOutputLater(TrialExit result, long seen, int checksLeft) {
    Duration period = grace.compareTo(MIN_OUTPUT_CHECK) < 0 ? MIN_OUTPUT_CHECK : grace;
    try {
      timer.schedule(
          () -> awaitOutput(result, seen, checksLeft), period.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      finish(result); // the executor is closed: no one waits for the rest
    }
  }

  private long bytesRead() {
    return pumps.stream().mapToLong(OutputPump::bytesRead).sum();
  }

  private void finish(TrialExit result) {
    String last;
    synchronized (this) {
      reporting = false;
      last = lastLine;
    }
    // Outside the lock: completing runs the study's own callbacks.
    exit.complete(quotingLastLine(result, last));
  }

  /**
   * A crashed trial's last line usually says why (a Python traceback ends with the exception), so
   * the detail of a non-zero exit quotes it. It is the last non-blank line read from either stream;
   * the order of lines between stdout and stderr is not defined, within each it is.
   */
  static TrialExit quotingLastLine(TrialExit result, String last) {
    if (result.kind() != TrialExit.Kind.EXITED
        || result.exitCode() == null
        || result.exitCode() == 0
        || last == null) {
      return result;
    }
    String quoted = last.length() > QUOTED_LINE ? last.substring(0, QUOTED_LINE) + "..." : last;
    return new TrialExit(result.kind(), result.exitCode(), result.detail() + ": " + quoted);
  }

  @Override
  public CompletableFuture<TrialExit> exit() {
    return exit;
  }

  @Override
  public String handle() {
    return handle;
  }

  private static TrialExit failure(TrialExit.Kind kind, String detail) {
    return new TrialExit(kind, null, detail);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("closing: {}", e.toString());
    }
  }
}
