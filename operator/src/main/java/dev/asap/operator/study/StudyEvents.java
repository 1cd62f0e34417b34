package dev.asap.operator.study;

import dev.asap.operator.api.HpoStudy;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Records Kubernetes events on studies, with a fixed set of reasons. */
@ApplicationScoped
public class StudyEvents {
  private static final Logger LOG = Logger.getLogger(StudyEvents.class);

  /** Why an event was recorded. */
  public enum Reason {
    /** The spec is wrong; the message names the fields. */
    InvalidSpec(false),
    /** The study started (or resumed) running trials. */
    StudyStarted(true),
    /** The study reached its budget or target. */
    StudySucceeded(true),
    /** The study stopped on failures. */
    StudyFailed(false),
    /** The study loop failed unexpectedly and will be started again. */
    StudyError(false);

    final boolean normal;

    Reason(boolean normal) {
      this.normal = normal;
    }
  }

  @Inject KubernetesClient client;

  /** Records {@code reason} with {@code message} on {@code study}; never throws. */
  public void record(HpoStudy study, Reason reason, String message) {
    String now = Instant.now().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(study.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      study.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
                  .withNamespace(study.getMetadata().getNamespace())
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(study.getApiVersion())
                          .withKind(study.getKind())
                          .withName(study.getMetadata().getName())
                          .withNamespace(study.getMetadata().getNamespace())
                          .withUid(study.getMetadata().getUid())
                          .withResourceVersion(study.getMetadata().getResourceVersion())
                          .build())
                  .withType(reason.normal ? "Normal" : "Warning")
                  .withReason(reason.name())
                  .withMessage(
                      message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource("asap-operator", null)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not record event %s on %s: %s",
          reason, study.getMetadata().getName(), e.getMessage());
    }
  }
}
