package dev.asap.engine.execution.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asap.engine.execution.MetricSink;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExecutor;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.study.ParameterPlaceholders;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each trial as a process on this machine, from the trial template's primary container, so
 * that a study can run on a laptop with no cluster.
 *
 * <p><b>Command.</b> The container's {@code command} followed by its {@code args}, every {@code
 * ${trial.parameters.NAME}} replaced by the trial's value (floats as {@link
 * Double#toString(double)} writes them, integers as integers, categories as their literal text).
 * The image is ignored: the program must be installed here (a bare name is looked up on the study
 * process's {@code PATH}), and a container without a {@code command} (one that relies on its
 * image's entrypoint) cannot start. Kubernetes' {@code $(VAR)} references are not expanded.
 *
 * <p><b>Working directory.</b> The container's {@code workingDir}, resolved against the launch's
 * base folder, or the base folder itself when it has none; it must exist.
 *
 * <p><b>Environment.</b> The study process's own environment, then the container's {@code env}
 * entries that have a {@code value} (placeholders replaced; entries with {@code valueFrom} are
 * skipped, since only a cluster can resolve them, and a warning says so once), then:
 *
 * <ul>
 *   <li>{@code ASAP_STUDY}: the study's name;
 *   <li>{@code ASAP_TRIAL}: the trial's number;
 *   <li>{@code ASAP_TRIAL_PARAMETERS}: the parameter values as one JSON object, for example {@code
 *       {"lr":0.01,"layers":3,"optimizer":"adam"}};
 *   <li>{@code ASAP_PARAM_<NAME>}: each value on its own, rendered as on the command line, NAME
 *       being the parameter's name upper-cased with characters other than letters, digits and
 *       {@code _} turned into {@code _} (two names that differ only there share a variable: read
 *       {@code ASAP_TRIAL_PARAMETERS} for the exact names).
 * </ul>
 *
 * <p><b>Output.</b> Standard output and standard error are both appended to the launch's log file,
 * line by line as they come, byte for byte; the standard input is empty. Lines of both streams are
 * read for metrics by {@link dev.asap.engine.execution.MetricLineParser}, since trainers often
 * print through a logging library that writes to standard error. Reports of one trial reach the
 * sink one at a time, in order within each stream.
 *
 * <p><b>Ending.</b> The exit completes once the process has ended and its output has been read to
 * the end, so that no metric line is lost. Something the trial started in the background can hold
 * the output open after the trial's process has ended: the exit then completes once nothing has
 * come for the grace period (1 s at least), or after ten such periods at most, and what comes later
 * still goes to the log, but no longer to the sink. A trial that runs past the launch's time limit,
 * or that is {@link RunningTrial#stop stopped}, gets SIGTERM together with every process it
 * started, then SIGKILL after the grace period; it ends {@link TrialExit.Kind#TIMED_OUT} or {@link
 * TrialExit.Kind#STOPPED}. A missing program, working directory or unwritable log ends it {@link
 * TrialExit.Kind#FAILED_TO_START}, naming which.
 *
 * <p><b>Handle.</b> {@code pid:<pid>:<start instant in epoch milliseconds>}; {@link #reclaim} stops
 * that process and its descendants only while the pid still belongs to the process that started at
 * that instant. Descendants that an orphaned trial process lost (whose parent died) are out of its
 * reach.
 *
 * <p><b>Threads.</b> Two daemon threads per running trial read its output; one timer thread per
 * executor handles time limits and grace periods.
 */
public final class LocalProcessExecutor implements TrialExecutor {
  /** How long a stopped trial has between SIGTERM and SIGKILL, unless told otherwise. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(LocalProcessExecutor.class);

  private final Duration grace;
  private final ScheduledThreadPoolExecutor timer;
  private final Set<LocalTrial> running = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean warnedAboutValueFrom = new AtomicBoolean();
  private volatile boolean closed;

  public LocalProcessExecutor() {
    this(DEFAULT_GRACE);
  }

  /**
   * @param grace how long a stopped trial has between SIGTERM and SIGKILL, and how long (1 s at
   *     least) its output may stay open, with nothing coming, after its process has ended
   */
  public LocalProcessExecutor(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("the grace period must not be negative, got " + grace);
    }
    this.grace = grace;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              var thread = new Thread(task, "asap-local-executor-timer");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public RunningTrial start(TrialLaunch launch, MetricSink sink) {
    String name = "trial-" + launch.study() + "-" + launch.number();
    try {
      LocalTrial trial = launch(launch, sink, name);
      running.add(trial);
      trial.exit().whenComplete((exit, e) -> running.remove(trial));
      if (closed) {
        trial.stop("the executor was closed");
      }
      return trial;
    } catch (StartFailure e) {
      LOG.warn("{} could not start: {}", name, e.getMessage());
      return notStarted(e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("{} could not start", name, e);
      return notStarted("could not start: " + e);
    }
  }

  private static RunningTrial notStarted(String detail) {
    return new NotStarted(new TrialExit(TrialExit.Kind.FAILED_TO_START, null, detail));
  }

  private LocalTrial launch(TrialLaunch launch, MetricSink sink, String name) throws StartFailure {
    if (closed) {
      throw new StartFailure("the executor was closed");
    }
    JsonNode container = launch.template().container();
    if (container.path("command").isEmpty()) {
      throw new StartFailure(
          "the trial container has no command; a local trial needs one, since the image's"
              + " entrypoint is not available locally");
    }
    Configuration configuration = launch.configuration();
    List<String> commandLine = new ArrayList<>();
    TrialEnvironment environment;
    Path workingDir;
    try {
      for (String part : launch.template().commandLine()) {
        commandLine.add(ParameterPlaceholders.substitute(part, configuration));
      }
      environment = TrialEnvironment.of(launch, container);
      workingDir =
          container.hasNonNull("workingDir")
              ? baseDir(launch)
                  .resolve(
                      ParameterPlaceholders.substitute(
                          container.get("workingDir").asText(), configuration))
              : baseDir(launch);
    } catch (IllegalArgumentException e) {
      throw new StartFailure("the trial template does not fit the trial: " + e.getMessage());
    }
    if (!Files.exists(workingDir)) {
      throw new StartFailure("working directory " + workingDir + " does not exist");
    }
    if (!Files.isDirectory(workingDir)) {
      throw new StartFailure("working directory " + workingDir + " is not a directory");
    }
    warnAboutSkipped(environment.skipped());

    var builder = new ProcessBuilder(commandLine).directory(workingDir.toFile());
    try {
      builder.environment().putAll(environment.variables());
    } catch (IllegalArgumentException e) {
      throw new StartFailure("the trial's environment cannot be set: " + e.getMessage());
    }
    OutputStream log = openLog(launch);
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      closeQuietly(log);
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      throw new StartFailure("cannot run program " + commandLine.get(0) + ": " + why);
    }
    LOG.info("{} started as process {}: {}", name, process.pid(), commandLine);
    return LocalTrial.watch(name, process, log, sink, launch.timeout(), grace, timer);
  }

  private static Path baseDir(TrialLaunch launch) {
    return launch.baseDir() != null ? launch.baseDir() : Path.of("");
  }

  private static OutputStream openLog(TrialLaunch launch) throws StartFailure {
    if (launch.logFile() == null) {
      return OutputStream.nullOutputStream();
    }
    Path file = baseDir(launch).resolve(launch.logFile());
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new StartFailure("cannot write the log file " + file + ": " + e);
    }
  }

  private void warnAboutSkipped(List<String> names) {
    if (!names.isEmpty() && warnedAboutValueFrom.compareAndSet(false, true)) {
      LOG.warn(
          "environment entries with valueFrom ({}) are left out of local trials; only a cluster"
              + " can resolve them",
          names);
    }
  }

  @Override
  public void reclaim(String handle) {
    ProcessTree.find(handle)
        .ifPresent(
            process -> {
              LOG.info("stopping process {}, left running by an earlier run of the study", handle);
              ProcessTree.stop(process, grace, timer);
            });
  }

  /**
   * Stops every trial still running and waits, at most twice the grace period and a second, for
   * them to end.
   */
  @Override
  public void close() {
    closed = true;
    List<LocalTrial> trials = List.copyOf(running);
    trials.forEach(t -> t.stop("the executor was closed"));
    try {
      CompletableFuture.allOf(
              trials.stream().map(LocalTrial::exit).toArray(CompletableFuture[]::new))
          .get(grace.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("closing while some stopped trials have not reported their end yet");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a trial's exit failed, which it never should", e);
    }
    // Kills already scheduled still run after shutdown.
    timer.shutdown();
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      LOG.debug("closing a trial log: {}", e.toString());
    }
  }

  /** Why a trial could not start, said for its failure reason. */
  private static final class StartFailure extends Exception {
    StartFailure(String detail) {
      super(detail);
    }
  }

  /** A trial that never started; its exit is already known. */
  private record NotStarted(TrialExit exitValue) implements RunningTrial {
    @Override
    public CompletableFuture<TrialExit> exit() {
      return CompletableFuture.completedFuture(exitValue);
    }

    @Override
    public String handle() {
      return ProcessTree.NO_PROCESS;
    }

    @Override
    public void stop(String reason) {}
  }
}
