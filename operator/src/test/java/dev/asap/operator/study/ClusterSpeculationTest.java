package dev.asap.operator.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asap.operator.OperatorTestSupport;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Speculation through the operator: while a trial's Job runs, the next proposal is computed from a
 * predicted result, and the verdict lands on the HpoTrial the prediction was about.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ClusterSpeculationTest extends OperatorTestSupport {
  /**
   * The GP predicts from five observations on, and a trial is speculated on only when another may
   * start after it: trials 5 and 6 are the first that can be, so the study needs eight.
   */
  private static final int TRIALS = 8;

  @Test
  void anAcceptedSpeculationStartsTheNextTrialAndIsCountedOnItsSubjectAndTheStudy() {
    String ns = "speculation";
    client.resource(speculatingStudy(ns, "spec")).create();
    String token = token(ns, "spec");

    for (int number = 0; number < TRIALS; number++) {
      String name = HpoTrial.name("spec", number);
      await().atMost(Duration.ofSeconds(10)).until(() -> job(ns, name), j -> j);
      HpoTrial trial = trial(ns, name);
      double lr = trial.getSpec().parameters.get("lr").asDouble();
      // A smooth objective the GP can predict: best near lr = 0.01.
      double accuracy = 0.9 - Math.abs(Math.log10(lr) + 2) / 10;
      report(ns, "spec", number, token, "{\"metrics\": {\"val_accuracy\": " + accuracy + "}}");
      complete(ns, name, "Complete", null);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> trial(ns, name).getStatus().phase, "Completed"::equals);
    }

    HpoStudy done =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> client.resources(HpoStudy.class).inNamespace(ns).withName("spec").get(),
                s -> s.getStatus() != null && "Succeeded".equals(s.getStatus().phase));
    List<HpoTrial> trials =
        client.resources(HpoTrial.class).inNamespace(ns).list().getItems().stream()
            .sorted(Comparator.comparing(t -> t.getSpec().number))
            .toList();
    assertThat(trials).hasSize(TRIALS);
    assertThat(trials).allMatch(t -> "Completed".equals(t.getStatus().phase));
    List<Integer> speculative =
        trials.stream()
            .filter(t -> Boolean.TRUE.equals(t.getSpec().speculative))
            .map(t -> t.getSpec().number)
            .toList();
    List<JsonNode> accepted =
        trials.stream()
            .filter(t -> t.getStatus().speculations != null)
            .flatMap(t -> t.getStatus().speculations.stream())
            .filter(e -> "ACCEPTED".equals(e.path("verdict").asText()))
            .toList();
    // Each accepted speculation on trial n started trial n + 1 from its proposal.
    assertThat(accepted.stream().map(e -> e.path("subject").asInt() + 1).toList())
        .containsExactlyInAnyOrderElementsOf(speculative);
    assertThat(done.getStatus().speculation.accepted).isEqualTo(accepted.size());
  }

  private static HpoStudy speculatingStudy(String namespace, String name) {
    String yaml =
        """
        apiVersion: asap.dev/v1alpha1
        kind: HpoStudy
        metadata: {name: %s, namespace: %s}
        spec:
          seed: 11
          objective: {metric: val_accuracy, direction: maximize}
          searchSpace:
            parameters:
              - {name: lr, type: float, min: 0.0001, max: 0.1, log: true}
          budget: {maxTrials: %d, maxFailedTrials: 0, parallelism: 1, trialTimeout: 10m}
          pool: {optimizers: [random, gp]}
          integrator: {type: bandit}
          speculation: {tau: 100}
          trialTemplate:
            metrics: {collector: push}
            template:
              spec:
                containers:
                  - {name: trainer, image: trainer:1.0, command: [python, train.py]}
        """
            .formatted(name, namespace, TRIALS);
    return Serialization.unmarshal(yaml, HpoStudy.class);
  }

  private boolean job(String ns, String name) {
    return client.batch().v1().jobs().inNamespace(ns).withName(name).get() != null;
  }

  private void report(String ns, String study, int trial, String token, String body) {
    RestAssured.given()
        .header("Authorization", "Bearer " + token)
        .contentType("application/json")
        .body(body)
        .post(
            "/api/v1alpha1/namespaces/%s/hpostudies/%s/trials/%d/metrics"
                .formatted(ns, study, trial))
        .then()
        .statusCode(202);
  }
}
