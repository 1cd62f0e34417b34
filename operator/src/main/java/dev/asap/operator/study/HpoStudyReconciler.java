package dev.asap.operator.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asap.engine.loop.Fingerprint;
import dev.asap.engine.study.FieldError;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudyValidationException;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoStudyStatus;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.config.OperatorConfig;
import dev.asap.operator.metrics.OperatorMetrics;
import dev.asap.operator.study.StudyEvents.Reason;
import dev.asap.operator.trial.TrialRecords;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Reconciles an HpoStudy: checks its spec, makes sure its report token and its study loop exist,
 * and writes its status from its trial records. The loop itself (proposals, Jobs, metrics) runs in
 * a {@link StudyRuntime}; this class only starts, restarts and stops it.
 */
// Reconciled at least every five minutes whatever happens, so that a study whose loop failed
// more often than the SDK retries is started again.
@ControllerConfiguration(
    name = HpoStudyReconciler.NAME,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class HpoStudyReconciler implements Reconciler<HpoStudy>, Cleaner<HpoStudy> {
  /** The controller's name, as in {@code quarkus.operator-sdk.controllers.hpostudy.*}. */
  public static final String NAME = "hpostudy";

  private static final Logger LOG = Logger.getLogger(HpoStudyReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject KubernetesClient client;
  @Inject OperatorConfig config;
  @Inject StudyRuntimes runtimes;
  @Inject ReportTokens tokens;
  @Inject StudyEvents events;
  @Inject OperatorMetrics metrics;

  /** Wakes the reconciler when a study loop has news (a trial started or ended, it stopped). */
  private final SimpleInboundEventSource<HpoStudy> loopNews = new SimpleInboundEventSource<>();

  @Override
  public List<EventSource<?, HpoStudy>> prepareEventSources(EventSourceContext<HpoStudy> context) {
    var trials =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(HpoTrial.class, HpoStudy.class).build(), context);
    return List.of(trials, loopNews);
  }

  @Override
  public UpdateControl<HpoStudy> reconcile(HpoStudy study, Context<HpoStudy> context) {
    MDC.put("study", study.getMetadata().getNamespace() + "/" + study.getMetadata().getName());
    try {
      Study engineStudy;
      try {
        engineStudy = StudyDocuments.toStudy(study, config.gatewayEndpoint());
      } catch (StudyValidationException e) {
        return invalid(study, e);
      }

      String fingerprint = Fingerprint.of(engineStudy.spec());
      String uid = study.getMetadata().getUid();
      var trials =
          context.getSecondaryResources(HpoTrial.class).stream()
              .filter(t -> TrialRecords.ownedBy(t, uid))
              .toList();
      String recorded = study.getStatus() == null ? null : study.getStatus().fingerprint;
      if (recorded != null && !recorded.equals(fingerprint) && !trials.isEmpty()) {
        return invalid(
            study,
            new StudyValidationException(
                List.of(
                    new FieldError(
                        "spec",
                        "the objective or search space changed after "
                            + trials.size()
                            + " trials ran with the old one; their results would not compare."
                            + " Restore them, or create a new study"))));
      }

      StudyRuntime runtime = ensureRunning(study, engineStudy, trials);

      HpoStudyStatus status =
          StudyStatus.of(
              study,
              trials,
              runtime,
              engineStudy.spec().objective().direction(),
              fingerprint,
              runtimes.failure(study));
      announceEnd(study, status);
      return patchIfChanged(study, status);
    } finally {
      MDC.remove("study");
    }
  }

  /**
   * The study's loop: started unless it already runs this generation of the spec or the study has
   * ended; a loop that failed unexpectedly is reported and thrown, so the SDK retries with backoff.
   */
  private StudyRuntime ensureRunning(
      HpoStudy study, Study engineStudy, java.util.List<HpoTrial> trials) {
    long generation =
        study.getMetadata().getGeneration() == null ? 0 : study.getMetadata().getGeneration();
    StudyRuntime runtime = runtimes.get(study);
    if (runtime != null && runtime.ended() && runtime.failure() != null) {
      runtimes.forget(study);
      runtimes.failed(study, "the study loop failed: " + runtime.failure().getMessage());
      events.record(study, Reason.StudyError, "the study loop failed: " + runtime.failure());
      throw new IllegalStateException(
          "the study loop failed: " + runtime.failure().getMessage(), runtime.failure());
    }
    if (runtime != null && runtime.generation() == generation) {
      return runtime;
    }
    HpoStudyStatus status = study.getStatus();
    if (runtime == null
        && status != null
        && StudyStatus.terminal(status.phase)
        && status.observedGeneration != null
        && status.observedGeneration == generation
        && trials.stream().noneMatch(StudyStatus::running)) {
      return null; // ended before this operator started; nothing to run
    }
    String token = tokens.ensure(study);
    runtime =
        runtimes.start(
            study, engineStudy, token, s -> loopNews.propagateEvent(ResourceID.fromResource(s)));
    events.record(
        study, Reason.StudyStarted, "running trials as Jobs (generation " + generation + ")");
    return runtime;
  }

  private UpdateControl<HpoStudy> invalid(HpoStudy study, StudyValidationException e) {
    String message = String.join("; ", e.errors().stream().map(Object::toString).toList());
    HpoStudyStatus status = StudyStatus.invalid(study, message);
    // No new trial starts on a spec that cannot be read; running Jobs go on, and the loop that
    // starts once the spec is fixed follows them.
    runtimes.detach(study);
    boolean news =
        study.getStatus() == null
            || !StudyStatus.INVALID.equals(study.getStatus().phase)
            || !message.equals(conditionMessage(study.getStatus(), StudyStatus.INVALID_CONDITION));
    if (news) {
      LOG.infof("study %s is invalid: %s", study.getMetadata().getName(), message);
      events.record(study, Reason.InvalidSpec, message);
    }
    metrics.studyPhase(
        study.getMetadata().getNamespace(), study.getMetadata().getName(), status.phase);
    // A bad spec does not heal by retrying: wait for the next change.
    return patchIfChanged(study, status);
  }

  private void announceEnd(HpoStudy study, HpoStudyStatus status) {
    String before = study.getStatus() == null ? null : study.getStatus().phase;
    if (StudyStatus.terminal(status.phase) && !status.phase.equals(before)) {
      boolean failed = StudyStatus.FAILED.equals(status.phase);
      events.record(
          study,
          failed ? Reason.StudyFailed : Reason.StudySucceeded,
          status.stopReason == null ? status.phase : status.stopReason);
    }
    String ns = study.getMetadata().getNamespace();
    String name = study.getMetadata().getName();
    metrics.studyPhase(ns, name, status.phase);
    var t = status.trials;
    metrics.studyFigures(
        ns,
        name,
        t.running,
        t.completed,
        t.failed,
        t.stopped,
        status.best == null ? null : status.best.value);
  }

  private static String conditionMessage(HpoStudyStatus status, String type) {
    return status.conditions == null
        ? null
        : status.conditions.stream()
            .filter(c -> type.equals(c.getType()))
            .map(c -> c.getMessage())
            .findFirst()
            .orElse(null);
  }

  private static boolean sameStatus(HpoStudy study, HpoStudyStatus status) {
    return study.getStatus() != null
        && JSON.valueToTree(study.getStatus()).equals(JSON.valueToTree(status));
  }

  /** Writes the status only when it differs from the one stored. */
  private static UpdateControl<HpoStudy> patchIfChanged(HpoStudy study, HpoStudyStatus status) {
    if (sameStatus(study, status)) {
      return UpdateControl.noUpdate();
    }
    study.setStatus(status);
    return UpdateControl.patchStatus(study);
  }

  /**
   * A study loop that failed (thrown from {@link #reconcile} for the SDK's backoff) says why in the
   * status too: {@code Ready=False} with the failure as message.
   */
  @Override
  public ErrorStatusUpdateControl<HpoStudy> updateErrorStatus(
      HpoStudy study, Context<HpoStudy> context, Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
      cause = cause.getCause(); // past the SDK's wrapping, to the loop's own account
    }
    HpoStudyStatus status = StudyStatus.failing(study, String.valueOf(cause.getMessage()));
    if (sameStatus(study, status)) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    study.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(study);
  }

  @Override
  public DeleteControl cleanup(HpoStudy study, Context<HpoStudy> context) {
    String ns = study.getMetadata().getNamespace();
    String name = study.getMetadata().getName();
    runtimes.stop(study);
    // Jobs of trials no loop was following (a study that had ended, an operator that had not yet
    // resumed it): deleted here too, so that deleting a study always stops its work.
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withLabel(HpoStudy.STUDY_LABEL, name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    metrics.studyDeleted(ns, name);
    LOG.infof("study %s/%s deleted; its Jobs are stopped", ns, name);
    return DeleteControl.defaultDelete();
  }
}
