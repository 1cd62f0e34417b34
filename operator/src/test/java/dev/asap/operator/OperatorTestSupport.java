package dev.asap.operator;

import static org.awaitility.Awaitility.await;

import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.study.StudyRuntimes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Helpers of the tests that run the operator against the mock API server: reading what it wrote,
 * reporting as a trial pod does, and playing the Job controller.
 */
public abstract class OperatorTestSupport {
  @Inject protected KubernetesClient client;
  @Inject protected StudyRuntimes runtimes;

  protected Response report(String ns, String study, String trial, String token, String body) {
    return RestAssured.given()
        .header("Authorization", "Bearer " + token)
        .contentType("application/json")
        .body(body)
        .post(
            "/api/v1alpha1/namespaces/"
                + ns
                + "/hpostudies/"
                + study
                + "/trials/"
                + trial
                + "/metrics");
  }

  protected String token(String ns, String study) {
    var secret =
        await()
            .until(
                () -> client.secrets().inNamespace(ns).withName(study + "-asap-report").get(),
                x -> x != null);
    return new String(
        Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }

  protected HpoTrial trial(String ns, String name) {
    return client.resources(HpoTrial.class).inNamespace(ns).withName(name).get();
  }

  protected HpoStudy study(String ns, String name) {
    return client.resources(HpoStudy.class).inNamespace(ns).withName(name).get();
  }

  protected String phase(String ns, String name) {
    HpoStudy s = study(ns, name);
    return s == null || s.getStatus() == null ? null : s.getStatus().phase;
  }

  protected HpoStudy awaitPhase(String ns, String name, String phase) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> study(ns, name),
            s -> s != null && s.getStatus() != null && phase.equals(s.getStatus().phase));
  }

  protected List<Event> events(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems();
  }

  protected Job awaitJob(String ns, String name) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.batch().v1().jobs().inNamespace(ns).withName(name).get(), j -> j != null);
  }

  protected List<Job> jobs(String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems();
  }

  protected void complete(String ns, String job, String type, String reason) {
    conditions(
        ns,
        job,
        new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).build());
  }

  protected void conditions(String ns, String job, JobCondition... conditions) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(job)
        .editStatus(
            j -> {
              j.setStatus(new JobStatusBuilder().withConditions(conditions).build());
              return j;
            });
  }

  /** Wakes the study's reconciler without changing its spec (as any metadata edit would). */
  protected void touch(String ns, String name) {
    client
        .resources(HpoStudy.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            s -> {
              var a = new java.util.HashMap<String, String>();
              if (s.getMetadata().getAnnotations() != null) {
                a.putAll(s.getMetadata().getAnnotations());
              }
              a.put("touched", Long.toString(System.nanoTime()));
              s.getMetadata().setAnnotations(a);
              return s;
            });
  }
}
