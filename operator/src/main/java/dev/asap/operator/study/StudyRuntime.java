package dev.asap.operator.study;

import dev.asap.engine.history.StudyJournal;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.loop.Fingerprint;
import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.engine.loop.StudyRunner;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.ThresholdSource;
import dev.asap.engine.study.Study;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.api.HpoTrialStatus;
import dev.asap.operator.metrics.OperatorMetrics;
import dev.asap.operator.report.ReportRouter;
import dev.asap.operator.trial.EngineJson;
import dev.asap.operator.trial.KubernetesTrialExecutor;
import dev.asap.operator.trial.TrialJob;
import dev.asap.operator.trial.TrialRecords;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * One study running in this operator: the engine's study loop on a thread of its own, its trials
 * run by a {@link KubernetesTrialExecutor}, every decision and outcome written to HpoTrial records
 * as it happens. It starts from those records, so an operator restart loses nothing and adopts the
 * Jobs still running.
 */
public final class StudyRuntime {
  private static final Logger LOG = Logger.getLogger(StudyRuntime.class);

  /** How long a stopping study may take to stop its trials before the operator goes on. */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final HpoStudy resource;
  private final Study study;
  private final String namespace;
  private final String name;
  private final OperatorMetrics metrics;
  private final Runnable changed;
  private final KubernetesTrialExecutor executor;
  private final StudyRunner runner;
  private final Thread thread;
  private final long generation;
  private volatile boolean detaching;
  private volatile boolean startedTrial;

  /** Set when the loop has returned or failed, before the reconciler hears of it. */
  private volatile boolean done;

  private volatile StudyResult result;
  private volatile Throwable failure;

  /**
   * Prepares {@code study} (already validated) to run.
   *
   * @param tokenLost called when the study's token Secret is found missing; makes it again
   * @param changed called whenever the study's status may have changed
   */
  public StudyRuntime(
      KubernetesClient client,
      HpoStudy resource,
      Study study,
      Path stateDir,
      String reportUrl,
      String tokenSecret,
      ReportRouter router,
      OperatorMetrics metrics,
      ThresholdSource thresholds,
      Runnable tokenLost,
      Runnable changed) {
    this.client = client;
    this.resource = resource;
    this.study = study;
    this.namespace = resource.getMetadata().getNamespace();
    this.name = resource.getMetadata().getName();
    this.generation =
        resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    this.metrics = metrics;
    this.changed = changed;
    // The journal first: it can fail, and the executor starts a watch that would then leak.
    Path folder = stateDir.resolve(namespace);
    rebuildJournal(folder.resolve(name));
    var template = resource.getSpec().trialTemplate;
    this.executor =
        new KubernetesTrialExecutor(
            client,
            resource,
            TrialJob.JobSettings.of(template.backoffLimit, template.ttlSecondsAfterFinished),
            reportUrl,
            tokenSecret,
            router,
            study.spec().objective().metric(),
            tokenLost);
    this.runner =
        new StudyRunner(study, executor, folder, new Recorder())
            .thresholds(s -> thresholds.tau(namespace + "/" + s))
            .executionObserver(this::speculationLogged);
    this.thread = new Thread(this::run, "study-" + namespace + "-" + name);
    this.thread.setDaemon(true);
  }

  /** Starts the study loop. */
  public void start() {
    thread.start();
  }

  /** The spec generation this runtime runs. */
  public long generation() {
    return generation;
  }

  /** Whether this loop has started (or adopted) a trial. */
  public boolean startedTrial() {
    return startedTrial;
  }

  /** Whether the loop has stopped (finished, failed, or was stopped). */
  public boolean ended() {
    return done;
  }

  /** How the study ended, or {@code null} while it runs or when it failed. */
  public StudyResult result() {
    return result;
  }

  /** Why the loop failed, or {@code null}. */
  public Throwable failure() {
    return failure;
  }

  /** Stops the study and its Jobs (the study was deleted). */
  public void stop() {
    runner.requestInterrupt();
    join();
    executor.close();
  }

  /**
   * Lets go of the study without stopping its Jobs or recording anything as ended: the operator is
   * shutting down (or lost leadership), and the next one resumes from the records.
   */
  public void detach() {
    detaching = true;
    executor.detach();
    runner.requestInterrupt();
    join();
    executor.close();
  }

  private void join() {
    try {
      thread.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      result = runner.run();
      LOG.infof("study %s/%s stopped: %s", namespace, name, result.stopReason());
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.errorf(e, "study %s/%s failed", namespace, name);
      // The loop leaves its running trials behind: stop following them (their Jobs go on), so
      // that the runtime the reconciler starts next adopts them.
      executor.close();
    } finally {
      done = true;
      if (!detaching) {
        executor.close(); // the loop is over: its Job watch goes with it
        changed.run();
      }
    }
  }

  /**
   * Writes the engine's journal from the HpoTrial records: they are the durable history; the
   * journal file is only the engine's working copy of it.
   */
  private void rebuildJournal(Path folder) {
    List<HpoTrial> trials =
        new ArrayList<>(
            client
                .resources(HpoTrial.class)
                .inNamespace(namespace)
                .withLabel(HpoStudy.STUDY_LABEL, name)
                .list()
                .getItems());
    // A study deleted and made again under the same name: the old one's records (until the
    // garbage collector removes them) are not this study's history.
    String uid = resource.getMetadata().getUid();
    trials.removeIf(
        t -> t.getSpec() == null || t.getSpec().number == null || !TrialRecords.ownedBy(t, uid));
    trials.sort(Comparator.comparing(t -> t.getSpec().number));
    try {
      deleteRecursively(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the study's working folder " + folder, e);
    }
    try (var journal = StudyJournal.open(folder, name, Fingerprint.of(study.spec()))) {
      for (HpoTrial t : trials) {
        journal.append(TrialRecords.toRecord(t));
      }
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (var paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private void speculationLogged(ExecutionLogEntry entry) {
    metrics.speculation(namespace, name, entry.verdict());
    editTrial(
        entry.subject(),
        t -> {
          HpoTrialStatus s = status(t);
          s.speculations = s.speculations == null ? new ArrayList<>() : s.speculations;
          s.speculations.add(EngineJson.MAPPER.valueToTree(entry));
          return t;
        });
  }

  /** How often a trial's record is written before the write is given up. */
  static final int WRITE_ATTEMPTS = 4;

  /**
   * Edits trial {@code number}'s record, retrying a failed write a few times; a loop that has let
   * go of the study writes nothing. Returns whether the write went through.
   */
  private boolean editTrial(int number, UnaryOperator<HpoTrial> edit) {
    for (int attempt = 1; !detaching; attempt++) {
      try {
        client
            .resources(HpoTrial.class)
            .inNamespace(namespace)
            .withName(HpoTrial.name(name, number))
            .editStatus(edit);
        return true;
      } catch (KubernetesClientException e) {
        if (attempt == WRITE_ATTEMPTS) {
          LOG.warnf(
              "could not update trial %d of %s/%s: %s", number, namespace, name, e.getMessage());
          return false;
        }
        try {
          Thread.sleep(250L << attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  private static HpoTrialStatus status(HpoTrial t) {
    if (t.getStatus() == null) {
      t.setStatus(new HpoTrialStatus());
    }
    return t.getStatus();
  }

  /** Mirrors the study loop's records into HpoTrial resources. */
  private final class Recorder implements StudyListener {
    @Override
    public void resumed(List<TrialRecord> earlier) {
      if (earlier.stream().anyMatch(t -> t.state() == TrialState.RUNNING)) {
        startedTrial = true; // it follows trials again, adopted
      }
      // Trials the loop found running with no Job left were recorded as interrupted in its
      // working copy only; their HpoTrials must say so too.
      for (TrialRecord t : earlier) {
        if (t.state() == TrialState.INTERRUPTED) {
          editTrial(
              t.number(),
              r -> {
                if (HpoTrialStatus.RUNNING.equals(status(r).phase)) {
                  TrialRecords.outcome(t, status(r));
                }
                return r;
              });
        }
      }
    }

    @Override
    public void trialLaunching(TrialRecord pending) {
      // Written before the Job exists: a trial never runs without its record. Failing here ends
      // the loop; the reconciler starts it again from the records.
      HpoTrial record = TrialRecords.pending(resource, pending);
      HpoTrialStatus status = record.getStatus();
      record.setStatus(null); // the API server keeps status only through its subresource
      try {
        client.resource(record).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          throw new IllegalStateException(
              "an HpoTrial named "
                  + record.getMetadata().getName()
                  + " already exists and is not this study's record of trial "
                  + pending.number()
                  + " (a study of the same name deleted moments ago, or made by hand);"
                  + " delete it to go on",
              e);
        }
        throw e;
      }
      editTrial(
          pending.number(),
          t -> {
            t.setStatus(status);
            return t;
          });
    }

    @Override
    public void trialStarted(TrialRecord trial) {
      startedTrial = true;
      metrics.trialStarted(namespace, name, trial);
      editTrial(
          trial.number(),
          t -> {
            TrialRecords.outcome(trial, status(t));
            return t;
          });
      changed.run();
    }

    @Override
    public void trialEnded(TrialRecord trial, TrialRecord best) {
      if (detaching
          && (trial.state() == TrialState.INTERRUPTED || trial.state() == TrialState.STOPPED)) {
        return; // the Job goes on; the next operator follows it
      }
      metrics.trialEnded(namespace, name, trial);
      boolean recorded =
          editTrial(
              trial.number(),
              t -> {
                TrialRecords.outcome(trial, status(t));
                return t;
              });
      if (!recorded && !detaching) {
        // The outcome is the record: without it a restart would rerun a finished trial. End the
        // loop; the reconciler starts it again from the records, and the Job's end is seen again.
        throw new IllegalStateException(
            "could not record the end of trial " + trial.number() + " in its HpoTrial");
      }
      changed.run();
    }
  }
}
