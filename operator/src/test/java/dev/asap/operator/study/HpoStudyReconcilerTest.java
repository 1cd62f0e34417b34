package dev.asap.operator.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asap.operator.OperatorTestSupport;
import dev.asap.operator.StudyFixtures;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator against a Kubernetes API (fabric8's mock server in CRUD mode: it stores what it is
 * sent, runs no controller, so the tests play the Job controller by writing Job status).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HpoStudyReconcilerTest extends OperatorTestSupport {

  @io.quarkus.test.kubernetes.client.KubernetesTestServer
  io.quarkus.test.kubernetes.client.KubernetesServer server;

  @Test
  void aStudyBecomesAJobWithItsGpuRequestNodeSelectorTolerationsAndEnvironment() {
    String ns = "gpu-job";
    client.resource(StudyFixtures.gpuStudy(ns, "resnet", 3, 1)).create();

    Job job = awaitJob(ns, "resnet-t0");

    var pod = job.getSpec().getTemplate().getSpec();
    var trainer = pod.getContainers().get(0);
    assertThat(trainer.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("8Gi"));
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("nvidia.com/gpu.present", "true"));
    assertThat(pod.getTolerations().get(0).getKey()).isEqualTo("nvidia.com/gpu");
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(0);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
    assertThat(job.getMetadata().getLabels())
        .containsEntry("asap.dev/study", "resnet")
        .containsEntry("asap.dev/trial", "0");
    assertThat(pod.getContainers().get(0).getArgs()).hasSize(4);

    HpoTrial trial = client.resources(HpoTrial.class).inNamespace(ns).withName("resnet-t0").get();
    Map<String, String> env =
        trainer.getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    String lr = trial.getSpec().parameters.get("lr").asText();
    assertThat(env)
        .containsEntry("ASAP_STUDY", "resnet")
        .containsEntry("ASAP_TRIAL", "0")
        .containsEntry("ASAP_PARAM_LAYERS", trial.getSpec().parameters.get("layers").asText())
        .containsEntry(
            "ASAP_REPORT_URL",
            "http://asap-operator.asap-system.svc:8080/api/v1alpha1/namespaces/gpu-job"
                + "/hpostudies/resnet/trials/0/metrics");
    assertThat(trainer.getArgs())
        .containsExactly(
            "--lr", env.get("ASAP_PARAM_LR"), "--layers", env.get("ASAP_PARAM_LAYERS"));
    assertThat(Double.parseDouble(env.get("ASAP_PARAM_LR"))).isEqualTo(Double.parseDouble(lr));
    EnvVar token =
        trainer.getEnv().stream()
            .filter(e -> e.getName().equals("ASAP_REPORT_TOKEN"))
            .findFirst()
            .orElseThrow();
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("resnet-asap-report");
    assertThat(job.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("resnet-t0");
    assertThat(jobs(ns)).hasSize(1);
  }

  @Test
  void aReportedMetricAndACompletedJobEndTheTrialAndStartTheNext() {
    String ns = "report-next";
    client.resource(StudyFixtures.gpuStudy(ns, "mlp", 2, 0)).create();
    awaitJob(ns, "mlp-t0");
    String token = token(ns, "mlp");

    report(ns, "mlp", 0, "wrong-token", "{\"metrics\": {\"val_accuracy\": 0.5}}").statusCode(401);
    report(ns, "mlp", 0, token, "{\"metrics\": {\"val_accuracy\": 0.91}, \"step\": 3}")
        .statusCode(202);
    await().until(() -> trial(ns, "mlp-t0").getStatus().metrics, m -> m != null && !m.isEmpty());
    complete(ns, "mlp-t0", "Complete", null);

    HpoTrial first =
        await().until(() -> trial(ns, "mlp-t0"), t -> "Completed".equals(t.getStatus().phase));
    assertThat(first.getStatus().objective).isEqualTo(0.91);
    assertThat(first.getStatus().step).isEqualTo(3L);
    awaitJob(ns, "mlp-t1");
    report(ns, "mlp", 0, token, "{\"metrics\": {\"val_accuracy\": 0.2}}").statusCode(409);

    report(ns, "mlp", 1, token, "{\"metrics\": {\"val_accuracy\": 0.95}}").statusCode(202);
    complete(ns, "mlp-t1", "Complete", null);

    HpoStudy done =
        await()
            .until(
                () -> study(ns, "mlp"),
                s -> s.getStatus() != null && "Succeeded".equals(s.getStatus().phase));
    assertThat(done.getStatus().trials.completed).isEqualTo(2);
    assertThat(done.getStatus().trials.total).isEqualTo(2);
    assertThat(done.getStatus().best.trial).isEqualTo(1);
    assertThat(done.getStatus().best.value).isEqualTo(0.95);
    assertThat(done.getStatus().observedGeneration).isEqualTo(1L);
    assertThat(jobs(ns)).hasSize(2);
    assertThat(eventReasons(ns)).contains("StudyStarted", "StudySucceeded");
    String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
    metrics
        .lines()
        .filter(l -> l.startsWith("operator_sdk"))
        .limit(40)
        .forEach(System.out::println);
    assertThat(metrics)
        .contains("asap_metric_reports_total{namespace=\"report-next\",outcome=\"accepted\"} 2.0")
        .contains(
            "asap_metric_reports_total{namespace=\"report-next\",outcome=\"unauthorized\"} 1.0")
        .contains(
            "asap_metric_reports_total{namespace=\"report-next\",outcome=\"trial_ended\"} 1.0")
        .contains("operator_sdk_reconciliations_started_total{")
        .contains("asap_study_best_value{namespace=\"report-next\",study=\"mlp\"} 0.95")
        .contains(
            "asap_trials_ended_total{namespace=\"report-next\",outcome=\"completed\",source=\"random\",study=\"mlp\"}");
  }

  @Test
  void withoutTheSdkTheMetricsComeFromThePodLogWhenTheJobEnds() {
    String ns = "pod-log";
    HpoStudy study = StudyFixtures.gpuStudy(ns, "printer", 1, 0);
    study.getSpec().trialTemplate.metrics.collector =
        dev.asap.operator.api.HpoStudySpec.Collector.STDOUT;
    client.resource(study).create();
    awaitJob(ns, "printer-t0");
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName("printer-t0-abcde")
                .withNamespace(ns)
                .addToLabels("job-name", "printer-t0")
                .endMetadata()
                .build())
        .create();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/pod-log/pods/printer-t0-abcde/log?pretty=false")
        .andReturn(200, "epoch 1\nval_accuracy=0.5 step=1\nval_accuracy=0.77 step=2\ndone\n")
        .always();
    complete(ns, "printer-t0", "Complete", null);

    HpoTrial t =
        await().until(() -> trial(ns, "printer-t0"), x -> "Completed".equals(x.getStatus().phase));
    assertThat(t.getStatus().objective).isEqualTo(0.77);
  }

  @Test
  void aFailedJobAndAJobThatNeverReportedFailTheirTrialsAndSpendTheFailureBudget() {
    String ns = "failures";
    client.resource(StudyFixtures.gpuStudy(ns, "flaky", 5, 1)).create();
    awaitJob(ns, "flaky-t0");
    complete(ns, "flaky-t0", "Failed", "BackoffLimitExceeded");

    HpoTrial failed =
        await().until(() -> trial(ns, "flaky-t0"), t -> "Failed".equals(t.getStatus().phase));
    assertThat(failed.getStatus().reason)
        .isEqualTo(
            "the Job failed (BackoffLimitExceeded); its log: kubectl logs -n failures job/flaky-t0");
    awaitJob(ns, "flaky-t1");
    complete(ns, "flaky-t1", "Complete", null);

    HpoTrial silent =
        await().until(() -> trial(ns, "flaky-t1"), t -> "Failed".equals(t.getStatus().phase));
    assertThat(silent.getStatus().reason)
        .isEqualTo("ended without reporting the objective metric val_accuracy");
    HpoStudy study =
        await()
            .until(
                () -> study(ns, "flaky"),
                s -> s.getStatus() != null && "Failed".equals(s.getStatus().phase));
    assertThat(study.getStatus().trials.failed).isEqualTo(2);
    assertThat(study.getStatus().conditions)
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Failed");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(jobs(ns)).hasSize(2);
    assertThat(eventReasons(ns)).contains("StudyFailed");
  }

  @Test
  void aJobThatNeverReportsEndsAtItsDeadlineAndFailsItsTrial() {
    String ns = "deadline";
    client.resource(StudyFixtures.gpuStudy(ns, "stuck", 2, 5)).create();
    awaitJob(ns, "stuck-t0");
    complete(ns, "stuck-t0", "Failed", "DeadlineExceeded");

    HpoTrial t =
        await().until(() -> trial(ns, "stuck-t0"), x -> "Failed".equals(x.getStatus().phase));
    assertThat(t.getStatus().reason)
        .isEqualTo(
            "the Job failed (DeadlineExceeded); its log: kubectl logs -n deadline job/stuck-t0");
    awaitJob(ns, "stuck-t1");
  }

  @Test
  void aNanObjectiveFailsItsTrial() {
    String ns = "nan";
    client.resource(StudyFixtures.gpuStudy(ns, "nan", 2, 5)).create();
    awaitJob(ns, "nan-t0");
    report(ns, "nan", 0, token(ns, "nan"), "{\"metrics\": {\"val_accuracy\": \"NaN\"}}")
        .statusCode(202);
    complete(ns, "nan-t0", "Complete", null);

    HpoTrial t =
        await().until(() -> trial(ns, "nan-t0"), x -> "Failed".equals(x.getStatus().phase));
    assertThat(t.getStatus().reason).isEqualTo("reported a non-finite val_accuracy (NaN)");
    assertThat(t.getStatus().objective).isNull();
    awaitJob(ns, "nan-t1");
  }

  @Test
  void anOperatorRestartMidTrialFollowsTheRunningJobAndKeepsItsReport() {
    String ns = "restart";
    client.resource(StudyFixtures.gpuStudy(ns, "long", 2, 0)).create();
    awaitJob(ns, "long-t0");
    report(ns, "long", 0, token(ns, "long"), "{\"metrics\": {\"val_accuracy\": 0.8}}")
        .statusCode(202);
    await().until(() -> trial(ns, "long-t0").getStatus().metrics, m -> m != null && !m.isEmpty());

    runtimes.detachAll(); // what a shutdown does: the loop goes, the Job and the records stay
    assertThat(trial(ns, "long-t0").getStatus().phase).isEqualTo("Running");
    client
        .resources(HpoTrial.class)
        .inNamespace(ns)
        .withName("long-t0")
        .edit(
            t -> {
              t.getMetadata().getLabels().put("touched", "yes");
              return t;
            });
    complete(ns, "long-t0", "Complete", null);

    HpoTrial first =
        await().until(() -> trial(ns, "long-t0"), t -> "Completed".equals(t.getStatus().phase));
    assertThat(first.getStatus().objective).isEqualTo(0.8);
    awaitJob(ns, "long-t1");
    assertThat(jobs(ns).stream().map(j -> j.getMetadata().getName()))
        .containsExactlyInAnyOrder("long-t0", "long-t1");
    assertThat(client.resources(HpoTrial.class).inNamespace(ns).list().getItems()).hasSize(2);
  }

  @Test
  void deletingAStudyStopsItsJobs() {
    String ns = "deletion";
    client.resource(StudyFixtures.gpuStudy(ns, "gone", 3, 0)).create();
    awaitJob(ns, "gone-t0");

    client.resources(HpoStudy.class).inNamespace(ns).withName("gone").delete();

    await().atMost(Duration.ofSeconds(20)).until(() -> jobs(ns).isEmpty());
    await().until(() -> study(ns, "gone") == null);
  }

  @Test
  void anInvalidSpecGetsAConditionAndAWarningEventNamingTheField() {
    String ns = "invalid";
    HpoStudy bad = StudyFixtures.gpuStudy(ns, "bad", 3, 0);
    bad.getSpec().searchSpace.parameters.get(0).min = 0;
    client.resource(bad).create();

    HpoStudy study =
        await()
            .until(
                () -> study(ns, "bad"),
                s -> s.getStatus() != null && "Invalid".equals(s.getStatus().phase));
    var invalid =
        study.getStatus().conditions.stream()
            .filter(c -> c.getType().equals("Invalid"))
            .findFirst()
            .orElseThrow();
    assertThat(invalid.getStatus()).isEqualTo("True");
    assertThat(invalid.getMessage()).startsWith("spec.searchSpace.parameters[0].min: ");
    var event =
        await()
            .until(() -> client.v1().events().inNamespace(ns).list().getItems(), l -> !l.isEmpty())
            .get(0);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getReason()).isEqualTo("InvalidSpec");
    assertThat(event.getMessage()).isEqualTo(invalid.getMessage());
    assertThat(event.getInvolvedObject().getName()).isEqualTo("bad");
    assertThat(jobs(ns)).isEmpty();
  }

  @Test
  void aLargerMaxTrialsContinuesAStudyThatHadSucceeded() {
    String ns = "more-trials";
    client.resource(StudyFixtures.gpuStudy(ns, "grow", 1, 0)).create();
    awaitJob(ns, "grow-t0");
    report(ns, "grow", 0, token(ns, "grow"), "{\"metrics\": {\"val_accuracy\": 0.6}}")
        .statusCode(202);
    complete(ns, "grow-t0", "Complete", null);
    await()
        .until(
            () -> study(ns, "grow"),
            s -> s.getStatus() != null && "Succeeded".equals(s.getStatus().phase));

    client
        .resources(HpoStudy.class)
        .inNamespace(ns)
        .withName("grow")
        .edit(
            s -> {
              s.getSpec().budget.maxTrials = 2;
              return s;
            });

    awaitJob(ns, "grow-t1");
    assertThat(jobs(ns)).hasSize(2);
    assertThat(trial(ns, "grow-t0").getStatus().objective).isEqualTo(0.6);
  }

  @Test
  void changingTheSearchSpaceAfterTrialsRanIsRefusedAndStartsNothing() {
    String ns = "changed-space";
    client.resource(StudyFixtures.gpuStudy(ns, "moved", 3, 0)).create();
    awaitJob(ns, "moved-t0");
    await()
        .until(
            () -> study(ns, "moved"),
            s -> s.getStatus() != null && s.getStatus().fingerprint != null);

    client
        .resources(HpoStudy.class)
        .inNamespace(ns)
        .withName("moved")
        .edit(
            s -> {
              s.getSpec().searchSpace.parameters.get(1).max = 8;
              return s;
            });

    HpoStudy study =
        await().until(() -> study(ns, "moved"), s -> "Invalid".equals(s.getStatus().phase));
    var invalid =
        study.getStatus().conditions.stream()
            .filter(c -> c.getType().equals("Invalid"))
            .findFirst()
            .orElseThrow();
    assertThat(invalid.getMessage())
        .isEqualTo(
            "spec: the objective or search space changed after 1 trials ran with the old one;"
                + " their results would not compare. Restore them, or create a new study");
    assertThat(study.getStatus().trials.total).isEqualTo(1);
    complete(ns, "moved-t0", "Complete", null);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> jobs(ns).size() == 1);
  }

  io.restassured.response.ValidatableResponse report(
      String ns, String study, int trial, String token, String body) {
    return io.restassured.RestAssured.given()
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
                + "/metrics")
        .then();
  }

  List<String> eventReasons(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .map(e -> e.getReason())
        .toList();
  }
}
