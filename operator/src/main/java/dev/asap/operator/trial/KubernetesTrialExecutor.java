package dev.asap.operator.trial;

import dev.asap.engine.execution.MetricLineParser;
import dev.asap.engine.execution.MetricReport;
import dev.asap.engine.execution.MetricSink;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExecutor;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.api.HpoTrialStatus;
import dev.asap.operator.api.Owners;
import dev.asap.operator.report.ReportRouter;
import dev.asap.operator.report.TrialReport;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs a study's trials as Jobs. A trial ends when its Job does: Complete, or Failed (deadline,
 * retries spent). Its metrics come from the report endpoint while it runs and, when it did not
 * report its objective that way, from {@code name=value} lines in its pod's log once it ends. Every
 * report is also kept on the trial's HpoTrial, so that an operator that restarts mid-trial loses
 * none.
 */
public final class KubernetesTrialExecutor implements TrialExecutor {
  private static final Logger LOG = Logger.getLogger(KubernetesTrialExecutor.class);

  private final KubernetesClient client;
  private final HpoStudy study;
  private final String namespace;
  private final String name;
  private final TrialJob.JobSettings settings;
  private final String reportBaseUrl;
  private final String tokenSecret;
  private final ReportRouter router;
  private final String objective;
  private final Runnable tokenLost;
  private final Map<String, K8sTrial> trials = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Job> informer;
  private volatile boolean detaching;

  public KubernetesTrialExecutor(
      KubernetesClient client,
      HpoStudy study,
      TrialJob.JobSettings jobSettings,
      String reportBaseUrl,
      String tokenSecret,
      ReportRouter router,
      String objective,
      Runnable tokenLost) {
    this.client = client;
    this.study = study;
    this.namespace = study.getMetadata().getNamespace();
    this.name = study.getMetadata().getName();
    this.settings = jobSettings;
    this.reportBaseUrl = reportBaseUrl;
    this.tokenSecret = tokenSecret;
    this.router = router;
    this.objective = objective;
    this.tokenLost = tokenLost;
    this.informer =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withLabel(HpoStudy.STUDY_LABEL, name)
            .inform(new JobChanges(), 0);
  }

  @Override
  public RunningTrial start(TrialLaunch launch, MetricSink sink) {
    String jobName = HpoTrial.name(name, launch.number());
    K8sTrial trial = track(jobName, launch.number(), sink);
    HpoTrial owner =
        client.resources(HpoTrial.class).inNamespace(namespace).withName(jobName).get();
    if (owner == null) {
      trial.finish(
          new TrialExit(
              TrialExit.Kind.FAILED_TO_START, null, "its HpoTrial record " + jobName + " is gone"));
      return trial;
    }
    if (client.secrets().inNamespace(namespace).withName(tokenSecret).get() == null) {
      tokenLost.run(); // a pod whose token Secret is missing could not even start
    }
    Job job = TrialJob.build(launch, owner, settings, reportUrl(launch.number()), tokenSecret);
    try {
      client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
      LOG.infof("trial %d of %s/%s: created Job %s", launch.number(), namespace, name, jobName);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // The name is the trial's identity: a Job of that name owned by this trial's record is
        // this trial's, from a run that ended before it could record so; follow it rather than
        // start the trial twice. Any other Job of that name is not ours to follow or delete.
        Job existing = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
        if (existing == null || !Owners.ownedBy(existing, owner.getMetadata().getUid())) {
          trial.finish(
              new TrialExit(
                  TrialExit.Kind.FAILED_TO_START,
                  null,
                  "a Job named "
                      + jobName
                      + " exists that this trial does not own; delete it or rename the study"));
          return trial;
        }
        LOG.infof("Job %s already exists; following it", jobName);
      } else {
        trial.finish(
            new TrialExit(
                TrialExit.Kind.FAILED_TO_START,
                null,
                "the Job could not be created: " + e.getMessage()));
        return trial;
      }
    }
    checkEnded(client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get());
    return trial;
  }

  @Override
  public RunningTrial adopt(String handle, int number, MetricSink sink) {
    // Tracked before the Job is read, so that an end the watch sees meanwhile is not dropped.
    K8sTrial trial = track(handle, number, sink);
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(handle).get();
    if (job == null) {
      trials.remove(handle);
      router.release(namespace, name, number, trial.receiver);
      return null;
    }
    HpoTrial record =
        client.resources(HpoTrial.class).inNamespace(namespace).withName(handle).get();
    if (record != null && record.getStatus() != null && record.getStatus().metrics != null) {
      Instant at = Instant.now();
      record
          .getStatus()
          .metrics
          .forEach(
              (metric, value) ->
                  sink.report(new MetricReport(metric, value, record.getStatus().step, at)));
      trial.reported.addAll(record.getStatus().metrics.keySet());
    }
    LOG.infof(
        "trial %d of %s/%s: following its Job %s after a restart", number, namespace, name, handle);
    checkEnded(job);
    return trial;
  }

  @Override
  public void reclaim(String handle) {
    deleteJob(handle);
  }

  /**
   * Lets go of running trials without stopping their Jobs: the operator is shutting down and the
   * next one (or the next leader) follows them.
   */
  public void detach() {
    detaching = true;
  }

  @Override
  public void close() {
    informer.close();
    for (K8sTrial t : trials.values()) {
      router.release(namespace, name, t.number, t.receiver);
    }
  }

  private K8sTrial track(String jobName, int number, MetricSink sink) {
    var trial = new K8sTrial(jobName, number, sink);
    trials.put(jobName, trial);
    router.registerTrial(namespace, name, number, trial.receiver);
    return trial;
  }

  private String reportUrl(int number) {
    return reportBaseUrl.replaceAll("/+$", "")
        + "/api/v1alpha1/namespaces/"
        + namespace
        + "/hpostudies/"
        + name
        + "/trials/"
        + number
        + "/metrics";
  }

  private void deleteJob(String jobName) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .withName(jobName)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      LOG.warnf("could not delete Job %s/%s: %s", namespace, jobName, e.getMessage());
    }
  }

  /** Ends the trial of {@code job} if the Job has ended. */
  private void checkEnded(Job job) {
    if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
      return;
    }
    K8sTrial trial = trials.get(job.getMetadata().getName());
    if (trial == null) {
      return;
    }
    synchronized (trial) {
      if (!trial.exit.isDone()) {
        checkEnded(job, trial);
      }
    }
  }

  private void checkEnded(Job job, K8sTrial trial) {
    for (JobCondition c : job.getStatus().getConditions()) {
      if (!"True".equals(c.getStatus())) {
        continue;
      }
      if ("Complete".equals(c.getType())) {
        readLogIfObjectiveMissing(trial);
        trial.finish(new TrialExit(TrialExit.Kind.EXITED, 0, "the Job completed"));
        return;
      }
      if ("Failed".equals(c.getType())) {
        readLogIfObjectiveMissing(trial);
        boolean deadline = "DeadlineExceeded".equals(c.getReason());
        trial.finish(
            new TrialExit(
                deadline ? TrialExit.Kind.TIMED_OUT : TrialExit.Kind.EXITED,
                deadline ? null : exitCode(trial.jobName),
                "the Job failed"
                    + (c.getReason() == null ? "" : " (" + c.getReason() + ")")
                    + (c.getMessage() == null ? "" : ": " + c.getMessage())
                    + "; its log: kubectl logs -n "
                    + namespace
                    + " job/"
                    + trial.jobName));
        return;
      }
    }
  }

  /** The exit code of the trial's last terminated container, or 1 when none can be read. */
  private Integer exitCode(String jobName) {
    try {
      for (Pod pod :
          client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems()) {
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
          for (var s : pod.getStatus().getContainerStatuses()) {
            if (s.getState() != null && s.getState().getTerminated() != null) {
              return s.getState().getTerminated().getExitCode();
            }
          }
        }
      }
    } catch (KubernetesClientException e) {
      LOG.debugf("no pod status for Job %s: %s", jobName, e.getMessage());
    }
    return 1;
  }

  /**
   * Reads {@code name=value} lines from the trial's pod log when the objective did not come through
   * the report endpoint: trials that print their metrics need no SDK.
   */
  private void readLogIfObjectiveMissing(K8sTrial trial) {
    if (trial.reported.contains(objective)) {
      return;
    }
    try {
      for (Pod pod :
          client
              .pods()
              .inNamespace(namespace)
              .withLabel("job-name", trial.jobName)
              .list()
              .getItems()) {
        String log =
            client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).getLog();
        if (log == null) {
          continue;
        }
        Instant at = Instant.now();
        for (String line : log.split("\n")) {
          for (MetricReport r : MetricLineParser.parse(line, at)) {
            trial.sink.report(r);
            trial.reported.add(r.name());
          }
        }
      }
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not read the log of trial %d's pod (%s); its metrics are what it reported",
          trial.number, e.getMessage());
    }
  }

  private void persist(K8sTrial trial, TrialReport report) {
    try {
      client
          .resources(HpoTrial.class)
          .inNamespace(namespace)
          .withName(trial.jobName)
          .editStatus(
              t -> {
                HpoTrialStatus s = t.getStatus() == null ? new HpoTrialStatus() : t.getStatus();
                var metrics = s.metrics == null ? new LinkedHashMap<String, Double>() : s.metrics;
                report
                    .metrics()
                    .forEach(
                        (k, v) -> {
                          if (Double.isFinite(v)) {
                            metrics.put(k, v);
                          }
                        });
                s.metrics = metrics;
                if (report.step() != null) {
                  s.step = report.step();
                }
                t.setStatus(s);
                return t;
              });
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not record trial %d's report on its HpoTrial: %s", trial.number, e.getMessage());
    }
  }

  /** One trial's Job, as the study loop sees it. */
  private final class K8sTrial implements RunningTrial {
    final String jobName;
    final int number;
    final MetricSink sink;
    final CompletableFuture<TrialExit> exit = new CompletableFuture<>();
    final java.util.Set<String> reported = ConcurrentHashMap.newKeySet();

    /** Where the router sends this trial's reports; one instance, so it can be removed as ours. */
    final java.util.function.Consumer<TrialReport> receiver = this::reported;

    K8sTrial(String jobName, int number, MetricSink sink) {
      this.jobName = jobName;
      this.number = number;
      this.sink = sink;
    }

    void reported(TrialReport report) {
      persist(this, report);
      report
          .metrics()
          .forEach(
              (metric, value) -> {
                sink.report(new MetricReport(metric, value, report.step(), report.receivedAt()));
                reported.add(metric);
              });
    }

    void finish(TrialExit how) {
      router.trialEnded(namespace, name, number, receiver);
      letGo(how);
    }

    /** Stops following the trial, its reports released rather than refused as ended. */
    void letGo(TrialExit how) {
      router.release(namespace, name, number, receiver);
      trials.remove(jobName);
      exit.complete(how);
    }

    @Override
    public CompletableFuture<TrialExit> exit() {
      return exit;
    }

    @Override
    public String handle() {
      return jobName;
    }

    @Override
    public void stop(String reason) {
      if (detaching) {
        // The Job goes on and the next loop follows it: its reports are not refused as ended.
        letGo(new TrialExit(TrialExit.Kind.STOPPED, null, reason));
        return;
      }
      deleteJob(jobName);
      finish(new TrialExit(TrialExit.Kind.STOPPED, null, reason));
    }
  }

  /**
   * Whether a Job that left the study's label selector still exists (someone edited its labels):
   * its labels are put back, so that the watch sees it again and its trial is followed to its end.
   */
  private boolean relabelled(Job gone) {
    String jobName = gone.getMetadata().getName();
    try {
      Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
      if (job == null) {
        return false;
      }
      LOG.warnf("Job %s/%s lost its ASAP labels; putting them back", namespace, jobName);
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .withName(jobName)
          .edit(
              j -> {
                var labels =
                    j.getMetadata().getLabels() == null
                        ? new java.util.LinkedHashMap<String, String>()
                        : new java.util.LinkedHashMap<>(j.getMetadata().getLabels());
                labels.put(HpoStudy.STUDY_LABEL, name);
                labels.put(HpoTrial.NUMBER_LABEL, Integer.toString(trials.get(jobName).number));
                j.getMetadata().setLabels(labels);
                return j;
              });
      return true;
    } catch (KubernetesClientException | NullPointerException e) {
      return false;
    }
  }

  private final class JobChanges implements ResourceEventHandler<Job> {
    @Override
    public void onAdd(Job job) {
      checkEnded(job);
    }

    @Override
    public void onUpdate(Job before, Job after) {
      checkEnded(after);
    }

    @Override
    public void onDelete(Job job, boolean finalStateUnknown) {
      K8sTrial trial = trials.get(job.getMetadata().getName());
      if (trial != null && !trial.exit.isDone() && relabelled(job)) {
        return;
      }
      if (trial != null && !trial.exit.isDone()) {
        checkEnded(job);
        if (!trial.exit.isDone()) {
          trial.finish(
              new TrialExit(TrialExit.Kind.EXITED, null, "its Job was deleted before it ended"));
        }
      }
    }
  }
}
