package dev.asap.engine.execution.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trial's process and everything it started, stopped together, and the handle that finds the
 * process again from another run of the study.
 *
 * <p>A handle reads {@code pid:<pid>:<start>}, the start being the process's start instant in epoch
 * milliseconds (or {@code unknown} where the system does not tell it). The start instant tells the
 * trial's process apart from a later process that was given the same pid.
 */
final class ProcessTree {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);

  /** The handle of a trial that never started: there is nothing to reclaim. */
  static final String NO_PROCESS = "none";

  private static final Pattern HANDLE = Pattern.compile("pid:(\\d+):(\\d+|unknown)");

  private ProcessTree() {}

  /** The handle of a running process. */
  static String handle(ProcessHandle process) {
    return "pid:"
        + process.pid()
        + ":"
        + process.info().startInstant().map(s -> Long.toString(s.toEpochMilli())).orElse("unknown");
  }

  /**
   * The process that {@code handle} names, when it is still running and is the same process: empty
   * for a process that has ended, a pid now held by a later process, a start instant that cannot be
   * checked, a trial that never started, or a handle that is not this executor's.
   */
  static Optional<ProcessHandle> find(String handle) {
    if (handle.equals(NO_PROCESS)) {
      return Optional.empty();
    }
    Matcher m = HANDLE.matcher(handle);
    if (!m.matches()) {
      LOG.warn("not a local process handle, left alone: {}", handle);
      return Optional.empty();
    }
    if (m.group(2).equals("unknown")) {
      LOG.warn("cannot tell whether {} is still the trial's process; left alone", handle);
      return Optional.empty();
    }
    long pid = Long.parseLong(m.group(1));
    long start = Long.parseLong(m.group(2));
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == start);
  }

  /**
   * Asks {@code root} and its descendants to terminate (SIGTERM), then kills (SIGKILL) those left
   * after {@code grace}. Returns at once; the kill runs on {@code timer}, or at once when {@code
   * timer} no longer takes tasks.
   */
  static void stop(ProcessHandle root, Duration grace, ScheduledExecutorService timer) {
    // Taken before the first signal: a child whose parent dies is handed to init and is no longer
    // a descendant of the root.
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(0, root);
    tree.forEach(ProcessHandle::destroy);
    try {
      timer.schedule(() -> kill(tree, root), Math.max(0, grace.toNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      kill(tree, root); // the executor is closing: no grace is left to give
    }
  }

  private static void kill(List<ProcessHandle> tree, ProcessHandle root) {
    Stream.concat(tree.stream(), root.descendants())
        .distinct()
        .filter(ProcessHandle::isAlive)
        .forEach(
            p -> {
              LOG.debug("process {} outlived its grace period; killing it", p.pid());
              p.destroyForcibly();
            });
  }
}
