package dev.asap.operator.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asap.operator.OperatorTestSupport;
import dev.asap.operator.StudyFixtures;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoStudyStatus;
import dev.asap.operator.api.HpoTrial;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile sequences: users and other controllers editing what the operator owns, mid-study. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HostileSequenceTest extends OperatorTestSupport {

  private static final String ACC = "{\"metrics\": {\"val_accuracy\": %s}}";

  private void succeed(String ns, String study, int n, double v) {
    succeed(ns, study, n, v, token(ns, study));
  }

  private void succeed(String ns, String study, int n, double v, String token) {
    assertThat(report(ns, study, Integer.toString(n), token, ACC.formatted(v)).statusCode())
        .isEqualTo(202);
    await().until(() -> trial(ns, study + "-t" + n).getStatus().metrics, m -> m != null);
    complete(ns, study + "-t" + n, "Complete", null);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> trial(ns, study + "-t" + n), t -> "Completed".equals(t.getStatus().phase));
  }

  /**
   * A Job named like the next trial, made by someone else before the operator got there, is not
   * taken for the trial (it carries none of its parameters, token or labels): the trial fails to
   * start, saying so, and the study goes on.
   */
  @Test
  void aForeignJobWithTheTrialsNameIsNotTakenForTheTrial() {
    String ns = "atk-prejob";
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("pre-t0")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("other")
                .withImage("someone-else:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    client.resource(StudyFixtures.gpuStudy(ns, "pre", 2, 5)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> trial(ns, "pre-t0") != null);
    complete(ns, "pre-t0", "Complete", null);
    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
    Job job = client.batch().v1().jobs().inNamespace(ns).withName("pre-t0").get();
    HpoTrial t = trial(ns, "pre-t0");
    System.out.println(
        "foreign Job: image "
            + job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()
            + ", owners "
            + job.getMetadata().getOwnerReferences()
            + "; trial phase "
            + t.getStatus().phase
            + " reason "
            + t.getStatus().reason
            + "; study "
            + phase(ns, "pre")
            + " jobs "
            + jobs(ns).size());
    assertThat(t.getStatus().phase).isNotEqualTo("Running");
  }

  /**
   * A token Secret deleted mid-study is made again before the next trial's Job, whose pod needs it.
   */
  @Test
  void aDeletedTokenSecretIsMadeAgainBeforeTheNextTrial() {
    String ns = "atk-secret";
    client.resource(StudyFixtures.gpuStudy(ns, "sec", 3, 5)).create();
    awaitJob(ns, "sec-t0");
    String before = token(ns, "sec");
    client.secrets().inNamespace(ns).withName("sec-asap-report").delete();
    await().until(() -> client.secrets().inNamespace(ns).withName("sec-asap-report").get() == null);
    succeed(ns, "sec", 0, 0.5, before);
    awaitJob(ns, "sec-t1");
    boolean reportsStillAccepted =
        report(ns, "sec", "1", before, ACC.formatted(0.6)).statusCode() == 202;
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
    var secret = client.secrets().inNamespace(ns).withName("sec-asap-report").get();
    System.out.println(
        "after deleting the Secret: Job sec-t1 exists, Secret "
            + (secret == null ? "absent" : "present")
            + ", old token still accepted: "
            + reportsStillAccepted);
    assertThat(secret).isNotNull();
  }

  /**
   * A study deleted and made again under the same name starts clean: a token of its own, and no
   * history from the old study's HpoTrials, which it waits for the garbage collector to remove.
   */
  @Test
  void aStudyMadeAgainUnderTheSameNameStartsClean() {
    String ns = "atk-again";
    client.resource(StudyFixtures.gpuStudy(ns, "again", 3, 5)).create();
    awaitJob(ns, "again-t0");
    succeed(ns, "again", 0, 0.9);
    awaitJob(ns, "again-t1");
    String oldUid = study(ns, "again").getMetadata().getUid();
    client.resources(HpoStudy.class).inNamespace(ns).withName("again").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> study(ns, "again") == null);
    // The mock server has no garbage collector: the HpoTrials stay, as they do on a real cluster
    // until the collector reaches them.
    client.resource(StudyFixtures.gpuStudy(ns, "again", 3, 5)).create();
    String newUid = await().until(() -> study(ns, "again"), s -> s != null).getMetadata().getUid();
    // The garbage collector removes the old study's records (the mock has none: the test plays
    // it); until then trial 0's name is taken and the study waits, saying so (see the squatting
    // test below).
    client.resources(HpoTrial.class).inNamespace(ns).list().getItems().stream()
        .filter(t -> t.getMetadata().getOwnerReferences().get(0).getUid().equals(oldUid))
        .forEach(t -> client.resource(t).delete());
    await().atMost(Duration.ofSeconds(20)).until(() -> !jobs(ns).isEmpty());
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
    var secret = client.secrets().inNamespace(ns).withName("again-asap-report").get();
    HpoStudy again = study(ns, "again");
    System.out.println(
        "made again: old uid "
            + oldUid
            + " new uid "
            + newUid
            + "; Secret owner uid "
            + secret.getMetadata().getOwnerReferences().get(0).getUid()
            + "; jobs "
            + jobs(ns).stream().map(j -> j.getMetadata().getName()).toList()
            + "; HpoTrials "
            + client.resources(HpoTrial.class).inNamespace(ns).list().getItems().stream()
                .map(
                    t ->
                        t.getMetadata().getName()
                            + "/"
                            + t.getStatus().phase
                            + "/owner="
                            + t.getMetadata().getOwnerReferences().get(0).getUid())
                .toList()
            + "; status trials "
            + (again.getStatus() == null ? null : Serialization.asJson(again.getStatus().trials)));
    assertThat(secret.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(newUid);
    assertThat(jobs(ns).stream().map(j -> j.getMetadata().getName())).containsExactly("again-t0");
    assertThat(again.getStatus().trials.total).isEqualTo(1);
  }

  /**
   * A status the operator did not write (a user's patch, a restored backup) that says Succeeded
   * while a trial still runs does not stop a restarted operator from following that trial.
   */
  @Test
  void aStatusWrittenByAUserDoesNotStopAStudyAfterARestart() {
    String ns = "atk-status";
    client.resource(StudyFixtures.gpuStudy(ns, "st", 3, 5)).create();
    awaitJob(ns, "st-t0");
    awaitPhase(ns, "st", "Running");
    runtimes.detachAll();
    client
        .resources(HpoStudy.class)
        .inNamespace(ns)
        .withName("st")
        .editStatus(
            s -> {
              s.getStatus().phase = "Succeeded";
              s.getStatus().stopReason = "edited by hand";
              return s;
            });
    // A restarted operator reconciles every study; here an event on its trial stands for that
    // (an annotation on the study does not change its generation, so the SDK would skip it).
    client
        .resources(HpoTrial.class)
        .inNamespace(ns)
        .withName("st-t0")
        .edit(
            t -> {
              t.getMetadata().getLabels().put("touched", "yes");
              return t;
            });
    complete(ns, "st-t0", "Failed", "BackoffLimitExceeded");
    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
    System.out.println(
        "after a status edit and a restart: study "
            + phase(ns, "st")
            + ", trial t0 "
            + trial(ns, "st-t0").getStatus().phase
            + ", jobs "
            + jobs(ns).size());
    assertThat(trial(ns, "st-t0").getStatus().phase).isEqualTo("Failed");
  }

  /**
   * An HpoTrial whose status holds a time that does not parse (edited by hand) does not stop its
   * study: the time is read as unknown.
   */
  @Test
  void aHandEditedTrialTimeDoesNotStopTheStudy() {
    String ns = "atk-time";
    client.resource(StudyFixtures.gpuStudy(ns, "tm", 3, 5)).create();
    awaitJob(ns, "tm-t0");
    await().until(() -> trial(ns, "tm-t0").getStatus().startedAt != null);
    runtimes.detachAll();
    client
        .resources(HpoTrial.class)
        .inNamespace(ns)
        .withName("tm-t0")
        .editStatus(
            t -> {
              t.getStatus().startedAt = "yesterday";
              return t;
            });
    touch(ns, "tm");
    assertThat(report(ns, "tm", "0", token(ns, "tm"), ACC.formatted(0.7)).statusCode())
        .as("the restarted study follows trial 0 again")
        .isEqualTo(202);
  }

  /** A Job with both conditions: which wins is the order the conditions are listed in. */
  @Test
  void aJobBothFailedAndCompleteEndsItsTrialOneWay() {
    String ns = "atk-both";
    client.resource(StudyFixtures.gpuStudy(ns, "both", 3, 5)).create();
    awaitJob(ns, "both-t0");
    report(ns, "both", "0", token(ns, "both"), ACC.formatted(0.4));
    await().until(() -> trial(ns, "both-t0").getStatus().metrics, m -> m != null);
    conditions(
        ns,
        "both-t0",
        new JobConditionBuilder().withType("Failed").withStatus("True").withReason("X").build(),
        new JobConditionBuilder().withType("Complete").withStatus("True").build());
    HpoTrial t =
        await().until(() -> trial(ns, "both-t0"), x -> !"Running".equals(x.getStatus().phase));
    System.out.println("Failed+Complete -> " + t.getStatus().phase + " " + t.getStatus().reason);
    assertThat(t.getStatus().phase).isEqualTo("Failed");
  }

  /**
   * Lowering maxTrials below the trials already run, while one runs: the running trial is followed
   * to its end (reports still taken), no new one starts, and the study then succeeds.
   */
  @Test
  void maxTrialsBelowTheTrialsAlreadyRun() {
    String ns = "atk-shrink";
    client.resource(StudyFixtures.gpuStudy(ns, "shrink", 5, 5)).create();
    awaitJob(ns, "shrink-t0");
    succeed(ns, "shrink", 0, 0.5);
    succeed(ns, "shrink", 1, 0.6);
    awaitJob(ns, "shrink-t2");
    client
        .resources(HpoStudy.class)
        .inNamespace(ns)
        .withName("shrink")
        .edit(
            s -> {
              s.getSpec().budget.maxTrials = 1;
              return s;
            });
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
    String midway = phase(ns, "shrink");
    succeed(ns, "shrink", 2, 0.7);
    HpoStudy s = awaitPhase(ns, "shrink", "Succeeded");
    System.out.println(
        "maxTrials 5 -> 1 with 2 done, 1 running: study "
            + midway
            + " until t2 ended, then "
            + s.getStatus().phase
            + " ("
            + s.getStatus().stopReason
            + "), total "
            + s.getStatus().trials.total
            + ", jobs "
            + jobs(ns).size());
    assertThat(jobs(ns)).hasSize(3);
  }

  /** Raising parallelism mid-study adopts the running trial and starts more. */
  @Test
  void parallelismUpMidStudy() {
    String ns = "atk-wider";
    client.resource(StudyFixtures.gpuStudy(ns, "wide", 6, 5)).create();
    awaitJob(ns, "wide-t0");
    client
        .resources(HpoStudy.class)
        .inNamespace(ns)
        .withName("wide")
        .edit(
            s -> {
              s.getSpec().budget.parallelism = 3;
              return s;
            });
    awaitJob(ns, "wide-t2");
    assertThat(jobs(ns)).hasSize(3);
    assertThat(report(ns, "wide", "0", token(ns, "wide"), ACC.formatted(0.3)).statusCode())
        .isEqualTo(202);
  }

  /**
   * The study label removed from a running Job (by a user or a policy controller) reaches the
   * label-selected Job watch as a deletion; the operator finds the Job still there, puts its labels
   * back, and follows the trial to its end.
   */
  @Test
  void editingARunningJobsLabelsDoesNotLoseTheTrial() {
    String ns = "atk-labels";
    client.resource(StudyFixtures.gpuStudy(ns, "lab", 3, 5)).create();
    awaitJob(ns, "lab-t0");
    report(ns, "lab", "0", token(ns, "lab"), ACC.formatted(0.4));
    await().until(() -> trial(ns, "lab-t0").getStatus().metrics, m -> m != null);
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName("lab-t0")
        .edit(
            j -> {
              j.getMetadata().setLabels(Map.of("team", "x"));
              return j;
            });
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
    String midway = trial(ns, "lab-t0").getStatus().phase;
    complete(ns, "lab-t0", "Complete", null);
    await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
    HpoTrial t = trial(ns, "lab-t0");
    System.out.println(
        "labels removed: trial right after "
            + midway
            + ", after the Job completed "
            + t.getStatus().phase
            + " "
            + t.getStatus().reason
            + " objective "
            + t.getStatus().objective
            + "; Job lab-t0 "
            + (client.batch().v1().jobs().inNamespace(ns).withName("lab-t0").get() == null
                ? "deleted"
                : "still there")
            + "; jobs "
            + jobs(ns).stream().map(j -> j.getMetadata().getName()).toList());
    assertThat(t.getStatus().phase).isEqualTo("Completed");
  }

  /** Two studies of one name in two namespaces stay apart. */
  @Test
  void sameNameInTwoNamespaces() {
    client.resource(StudyFixtures.gpuStudy("atk-ns-a", "twin", 3, 5)).create();
    client.resource(StudyFixtures.gpuStudy("atk-ns-b", "twin", 3, 5)).create();
    awaitJob("atk-ns-a", "twin-t0");
    awaitJob("atk-ns-b", "twin-t0");
    String a = token("atk-ns-a", "twin");
    assertThat(report("atk-ns-b", "twin", "0", a, ACC.formatted(0.1)).statusCode()).isEqualTo(401);
    client.resources(HpoStudy.class).inNamespace("atk-ns-a").withName("twin").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> jobs("atk-ns-a").isEmpty());
    assertThat(jobs("atk-ns-b")).hasSize(1);
    succeed("atk-ns-b", "twin", 0, 0.8);
    awaitJob("atk-ns-b", "twin-t1");
  }

  /** Restarting twice, and restarting an ended study, starts nothing new. */
  @Test
  void restartsWhileNothingRuns() {
    String ns = "atk-idle";
    client.resource(StudyFixtures.gpuStudy(ns, "idle", 1, 5)).create();
    awaitJob(ns, "idle-t0");
    succeed(ns, "idle", 0, 0.7);
    awaitPhase(ns, "idle", "Succeeded");
    long started = events(ns).stream().filter(e -> "StudyStarted".equals(e.getReason())).count();
    runtimes.detachAll();
    runtimes.detachAll();
    touch(ns, "idle");
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
    assertThat(phase(ns, "idle")).isEqualTo("Succeeded");
    assertThat(jobs(ns)).hasSize(1);
    assertThat(events(ns).stream().filter(e -> "StudyStarted".equals(e.getReason())).count())
        .isEqualTo(started);
  }

  /** A Job deleted while it runs ends its trial, which counts as failed. */
  @Test
  void aRunningJobDeleted() {
    String ns = "atk-deljob";
    client.resource(StudyFixtures.gpuStudy(ns, "dj", 3, 5)).create();
    awaitJob(ns, "dj-t0");
    client.batch().v1().jobs().inNamespace(ns).withName("dj-t0").delete();
    HpoTrial t =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> trial(ns, "dj-t0"), x -> !"Running".equals(x.getStatus().phase));
    System.out.println("Job deleted -> " + t.getStatus().phase + " " + t.getStatus().reason);
    awaitJob(ns, "dj-t1");
  }

  /** Deleting the HpoTrial of a running trial, then restarting: what becomes of the count. */
  @Test
  void deletingARunningTrialsRecord() {
    String ns = "atk-delrec";
    client.resource(StudyFixtures.gpuStudy(ns, "dr", 2, 5)).create();
    awaitJob(ns, "dr-t0");
    client.resources(HpoTrial.class).inNamespace(ns).withName("dr-t0").delete();
    await().until(() -> trial(ns, "dr-t0") == null);
    int reportCode = report(ns, "dr", "0", token(ns, "dr"), ACC.formatted(0.5)).statusCode();
    complete(ns, "dr-t0", "Complete", null);
    awaitJob(ns, "dr-t1");
    succeed(ns, "dr", 1, 0.6);
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
    HpoStudyStatus s = study(ns, "dr").getStatus();
    System.out.println(
        "record deleted: report to t0 -> "
            + reportCode
            + "; study "
            + s.phase
            + " trials "
            + Serialization.asJson(s.trials)
            + "; jobs "
            + jobs(ns).stream().map(j -> j.getMetadata().getName()).toList());
    runtimes.detachAll();
    touch(ns, "dr");
    await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
    s = study(ns, "dr").getStatus();
    System.out.println(
        "after a restart: study "
            + s.phase
            + " trials "
            + Serialization.asJson(s.trials)
            + "; jobs "
            + jobs(ns).stream().map(j -> j.getMetadata().getName()).toList()
            + "; HpoTrials "
            + client.resources(HpoTrial.class).inNamespace(ns).list().getItems().stream()
                .map(t -> t.getMetadata().getName() + "/" + t.getStatus().phase)
                .toList());
    assertThat(s.phase).isEqualTo("Succeeded");
  }

  /**
   * An HpoTrial already named like the study's first trial (made by hand) stops the study with
   * Ready=False naming it, and no Job.
   */
  @Test
  void anHpoTrialSquattingTheFirstTrialsNameIsReported() {
    String ns = "atk-squat";
    var squat = new HpoTrial();
    squat.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("sq-t0")
            .withNamespace(ns)
            .build());
    squat.setSpec(new dev.asap.operator.api.HpoTrialSpec());
    client.resource(squat).create();
    client.resource(StudyFixtures.gpuStudy(ns, "sq", 3, 5)).create();
    HpoStudy s =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> study(ns, "sq"),
                x ->
                    x.getStatus() != null
                        && x.getStatus().conditions.stream()
                            .anyMatch(c -> c.getReason().equals("StudyError")));
    assertThat(jobs(ns)).isEmpty();
    assertThat(s.getStatus().conditions)
        .anySatisfy(
            c ->
                assertThat(c.getMessage())
                    .isEqualTo(
                        "the study loop failed: an HpoTrial named sq-t0 already exists and is not"
                            + " this study's record of trial 0 (a study of the same name deleted"
                            + " moments ago, or made by hand); delete it to go on"));
  }

  /**
   * While no loop follows a running trial (its study's spec turned invalid, or the operator is
   * restarting), its reports are answered "retry" (503, which the SDK retries), never "ended".
   */
  @Test
  void aRunningTrialsReportWhileNoLoopFollowsItIsAnsweredRetry() {
    String ns = "atk-takeover";
    client.resource(StudyFixtures.gpuStudy(ns, "inv", 3, 5)).create();
    awaitJob(ns, "inv-t0");
    String token = token(ns, "inv");
    client
        .resources(HpoStudy.class)
        .inNamespace(ns)
        .withName("inv")
        .edit(
            s -> {
              s.getSpec().budget.parallelism = 0;
              return s;
            });
    awaitPhase(ns, "inv", "Invalid");

    var r = report(ns, "inv", "0", token, "{\"metrics\": {\"val_accuracy\": 0.5}}");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.asString())
        .isEqualTo("{\"error\":\"the operator is taking this trial over; retry\"}");
  }
}
