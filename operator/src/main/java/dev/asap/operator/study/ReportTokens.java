package dev.asap.operator.study;

import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.Owners;
import dev.asap.operator.trial.TrialJob;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The per-study report token: a random secret kept in a Secret the study owns, injected into its
 * trial pods, and required on every metric report, so that one study's pods cannot write another's
 * results.
 */
@ApplicationScoped
public class ReportTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject KubernetesClient client;

  /** The name of {@code study}'s token Secret. */
  public static String secretName(String study) {
    return study + "-asap-report";
  }

  /** The study's token, creating its Secret the first time. */
  public String ensure(HpoStudy study) {
    return ensure(study, null);
  }

  /**
   * The study's token, creating its Secret when missing, with {@code keep} as the token when given
   * (the one its running pods hold) or a new random one.
   */
  public String ensure(HpoStudy study, String keep) {
    String namespace = study.getMetadata().getNamespace();
    String name = secretName(study.getMetadata().getName());
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing != null && !Owners.ownedBy(existing, study.getMetadata().getUid())) {
      // Left by an earlier study of the same name, on its way to the garbage collector: its
      // token is not this study's.
      client.secrets().inNamespace(namespace).withName(name).delete();
      existing = null;
    }
    if (existing != null
        && existing.getData() != null
        && existing.getData().get(TrialJob.TOKEN_KEY) != null) {
      return new String(
          Base64.getDecoder().decode(existing.getData().get(TrialJob.TOKEN_KEY)),
          StandardCharsets.UTF_8);
    }
    String token = keep;
    if (token == null) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(HpoStudy.STUDY_LABEL, study.getMetadata().getName())
            .addToLabels("app.kubernetes.io/managed-by", "asap-operator")
            .withOwnerReferences(Owners.controlledBy(study))
            .endMetadata()
            .addToData(
                TrialJob.TOKEN_KEY,
                Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
            .build();
    try {
      if (existing == null) {
        client.secrets().inNamespace(namespace).resource(secret).create();
      } else {
        client.secrets().inNamespace(namespace).resource(secret).update();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return ensure(study, keep); // another writer won; use its token
      }
      throw e;
    }
    return token;
  }
}
