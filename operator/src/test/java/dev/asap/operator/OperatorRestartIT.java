package dev.asap.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The packaged operator, as a process, against a real etcd and kube-apiserver: the CRDs' schemas,
 * the status subresources, server-side apply, the Lease and the Job status rules are the API
 * server's own. The operator is stopped with SIGTERM in the middle of a trial and a new one must
 * follow the running Job, keep the metric reported before the restart and launch no trial twice.
 * Nothing but the API server runs: no scheduler, kubelet, controller-manager or garbage collector,
 * so the test writes the Job status the Job controller would write.
 */
class OperatorRestartIT {
  private static final String STUDY_NS = "restart-it";
  private static final String STUDY = "resnet";
  private static final String OPERATOR_NS = "asap-system";
  private static final Duration OPERATOR_START = Duration.ofSeconds(60);

  private static KubeAPIServer apiServer;
  private static KubernetesClient client;
  private static Path work;
  private static Path kubeconfig;
  private static Path operatorKubeconfig;
  private static Path logDir;
  private static int httpPort;
  private static final List<Process> operators = new ArrayList<>();
  private static final HttpClient http = HttpClient.newHttpClient();

  /** Prints the operators' logs when the test fails: they say what the operator saw. */
  @RegisterExtension
  static final TestWatcher PRINT_LOGS_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          printLogs();
        }
      };

  /** The folder of kube-api-test's binaries, or {@code null} when none was given. */
  private static String binaries() {
    String dir = System.getProperty("asap.kubeapitest.dir", "");
    // Maven passes an unset ASAP_KUBEAPITEST_DIR on as its own unexpanded expression.
    return dir.isBlank() || dir.startsWith("${") ? null : dir;
  }

  @BeforeAll
  static void startApiServer() throws IOException, InterruptedException {
    String binaries = binaries();
    if (binaries == null) {
      return; // skipped in skipUnlessBinaries(), where the reports show it as skipped
    }
    work = Files.createTempDirectory("operator-restart-it");
    Files.createDirectories(Path.of("target"));
    logDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "operator-restart-it-");
    // kube-api-test writes its certificates into its folder: each run gets its own, sharing only
    // the cached binaries.
    Path testDir = Files.createDirectories(work.resolve("kubeapitest"));
    Files.createSymbolicLink(testDir.resolve("k8s"), Path.of(binaries, "k8s").toAbsolutePath());
    apiServer =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir.toString())
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withApiServerFlag("--bind-address", "127.0.0.1")
                .build());
    apiServer.start();
    String yaml = apiServer.getKubeConfigYaml();
    kubeconfig = Files.writeString(work.resolve("kubeconfig"), yaml);
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();

    applyCrds();
    for (String ns : List.of(OPERATOR_NS, STUDY_NS)) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    operatorKubeconfig = chartServiceAccount();
    httpPort = freePort();
  }

  @BeforeEach
  void skipUnlessBinaries() {
    assumeTrue(
        binaries() != null,
        "no Kubernetes API server binaries: run make kube-binaries and set ASAP_KUBEAPITEST_DIR"
            + " to the folder it prints last (make test does both)");
  }

  @AfterAll
  static void stopEverything() throws IOException {
    for (Process p : operators) {
      p.destroyForcibly();
    }
    if (client != null) {
      client.close();
    }
    if (apiServer != null) {
      apiServer.stop();
    }
    if (work != null) {
      try (var paths = Files.walk(work)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aRestartedOperatorFollowsTheRunningJobKeepsItsMetricAndLaunchesNoTrialTwice()
      throws Exception {
    Process first = startOperator("operator-1");
    awaitLeader("operator-1");
    client.resource(StudyFixtures.gpuStudy(STUDY_NS, STUDY, 2, 0)).create();

    Job t0 = awaitJob("resnet-t0");
    var pod = t0.getSpec().getTemplate().getSpec();
    var trainer = pod.getContainers().get(0);
    assertThat(trainer.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("8Gi"));
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("nvidia.com/gpu.present", "true"));
    assertThat(pod.getTolerations().get(0).getKey()).isEqualTo("nvidia.com/gpu");
    assertThat(values(trainer.getEnv()))
        .containsEntry("ASAP_STUDY", STUDY)
        .containsEntry("ASAP_TRIAL", "0")
        .containsEntry("ASAP_REPORT_URL", reportUrl(0));
    String token = token();
    assertThat(report(0, token, "{\"metrics\": {\"val_accuracy\": 0.87}, \"step\": 4}"))
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> trial("resnet-t0").getStatus().metrics, m -> m != null && !m.isEmpty());

    stop(first);
    assertThat(job("resnet-t0")).isNotNull();
    HpoTrial running = trial("resnet-t0");
    assertThat(running.getStatus().phase).isEqualTo("Running");
    assertThat(running.getStatus().metrics).isEqualTo(Map.of("val_accuracy", 0.87));
    assertThat(running.getStatus().step).isEqualTo(4L);

    startOperator("operator-2");
    awaitLeader("operator-2");
    complete("resnet-t0");

    HpoTrial t0Done =
        await()
            .atMost(OPERATOR_START)
            .until(() -> trial("resnet-t0"), t -> "Completed".equals(t.getStatus().phase));
    assertThat(t0Done.getStatus().objective).isEqualTo(0.87);
    awaitJob("resnet-t1");
    assertThat(names(client.batch().v1().jobs().inNamespace(STUDY_NS).list().getItems()))
        .containsExactlyInAnyOrder("resnet-t0", "resnet-t1");
    assertThat(names(client.resources(HpoTrial.class).inNamespace(STUDY_NS).list().getItems()))
        .containsExactlyInAnyOrder("resnet-t0", "resnet-t1");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> study().getStatus(), s -> s != null && s.trials.total == 2);

    assertThat(report(1, token, "{\"metrics\": {\"val_accuracy\": 0.93}}")).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> trial("resnet-t1").getStatus().metrics, m -> m != null && !m.isEmpty());
    complete("resnet-t1");
    HpoStudy done =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                this::study, s -> s.getStatus() != null && "Succeeded".equals(s.getStatus().phase));
    assertThat(done.getStatus().trials.completed).isEqualTo(2);
    assertThat(done.getStatus().best.trial).isEqualTo(1);
    assertThat(done.getStatus().best.value).isEqualTo(0.93);
    assertThat(client.v1().events().inNamespace(STUDY_NS).list().getItems())
        .extracting(e -> e.getReason())
        .contains("StudyStarted", "StudySucceeded");
    assertThat(kubectl("get", "hpostudies", "-n", STUDY_NS, "--no-headers"))
        .matches("resnet\\s+Succeeded\\s+2\\s+0\\.93\\s+\\S+\\s*");

    client.resources(HpoStudy.class).inNamespace(STUDY_NS).withName(STUDY).delete();
    // The operator's cleanup deletes the Jobs. The HpoTrials and the token Secret stay here: the
    // garbage collector, which deletes what the study owns, does not run in this test.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.batch().v1().jobs().inNamespace(STUDY_NS).list().getItems().isEmpty());
    await().atMost(Duration.ofSeconds(20)).until(() -> study() == null);
  }

  /** The Job controller's part: the trial's pod ran and succeeded. */
  private static void complete(String jobName) {
    // The API server (1.35) checks Job status transitions; the mock server took a bare Complete
    // condition. Tried against it: Complete=True is refused without status.startTime ("required
    // for finished job"), without status.completionTime, and without a SuccessCriteriaMet=True
    // condition (in the same update is enough); the succeeded count is not checked, but is set
    // as the Job controller would. (Failed=True likewise needs startTime and FailureTarget=True.)
    String now = Instant.now().toString();
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(STUDY_NS)
        .withName(jobName)
        .editStatus(
            j -> {
              var status = j.getStatus();
              if (status.getStartTime() == null) {
                status.setStartTime(now);
              }
              status.setCompletionTime(now);
              status.setSucceeded(1);
              status.setConditions(
                  List.of(
                      condition("SuccessCriteriaMet", "CompletionsReached", now),
                      condition("Complete", "CompletionsReached", now)));
              return j;
            });
  }

  private static io.fabric8.kubernetes.api.model.batch.v1.JobCondition condition(
      String type, String reason, String now) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage("Reached expected number of succeeded pods")
        .withLastProbeTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  private static Process startOperator(String identity) throws IOException {
    Path stateDir = Files.createTempDirectory(work, "state-");
    Path log = logDir.resolve(identity + ".log");
    var command =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("operator.jar"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = command.environment();
    env.remove("QUARKUS_PROFILE"); // the prod profile: leader election and server-side apply
    env.put("KUBECONFIG", operatorKubeconfig.toString());
    // The leader's identity in the Lease; in the chart, the pod's name.
    env.put("HOSTNAME", identity);
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
    env.put("ASAP_OPERATOR_NAMESPACE", OPERATOR_NS);
    env.put("ASAP_OPERATOR_STATE_DIR", stateDir.toString());
    env.put("ASAP_OPERATOR_REPORT_URL", "http://127.0.0.1:" + httpPort);
    Process p = command.start();
    operators.add(p);
    return p;
  }

  /** SIGTERM, as Kubernetes stops a pod, and waits for the operator's orderly shutdown. */
  private static void stop(Process operator) throws InterruptedException {
    operator.destroy();
    assertThat(operator.waitFor(30, TimeUnit.SECONDS))
        .as("the operator exits within 30 s of SIGTERM")
        .isTrue();
  }

  private static void awaitLeader(String identity) {
    Lease lease =
        await()
            .atMost(OPERATOR_START)
            .until(
                () ->
                    client.leases().inNamespace(OPERATOR_NS).withName("asap-operator-leader").get(),
                l -> l != null && identity.equals(l.getSpec().getHolderIdentity()));
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(identity);
  }

  private static void applyCrds() throws IOException {
    Path crds = Path.of(System.getProperty("asap.crds.dir", "../crds"));
    try (var files = Files.list(crds)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          var crd = client.apiextensions().v1().customResourceDefinitions().load(in).create();
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(OperatorRestartIT::established, 30, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * A kubeconfig for the Helm chart's operator ServiceAccount, bound to the chart's own operator
   * Roles: the operator runs with exactly the permissions the chart grants it, so a permission the
   * chart lacks fails here (the test's own client is a cluster admin).
   */
  private static Path chartServiceAccount() throws IOException, InterruptedException {
    String rbac =
        run(
            System.getProperty("asap.helm", "../bin/helm"),
            "template",
            "asap",
            System.getProperty("asap.chart.dir", "../helm/asap"),
            "--namespace",
            OPERATOR_NS,
            "--show-only",
            "templates/serviceaccount.yaml",
            "--show-only",
            "templates/rbac-operator.yaml");
    client
        .resourceList(
            client.load(new ByteArrayInputStream(rbac.getBytes(StandardCharsets.UTF_8))).items())
        .create();
    String token =
        client
            .serviceAccounts()
            .inNamespace(OPERATOR_NS)
            .withName("asap")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config admin = client.getConfiguration();
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: it
            cluster: {server: "%s", certificate-authority: "%s"}
        users:
          - name: asap-operator
            user: {token: "%s"}
        contexts:
          - name: it
            context: {cluster: it, user: asap-operator, namespace: %s}
        current-context: it
        """
            .formatted(admin.getMasterUrl(), admin.getCaCertFile(), token, OPERATOR_NS);
    return Files.writeString(work.resolve("operator-kubeconfig"), yaml);
  }

  private static String kubectl(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    // The kubectl that came with the API server: k8s/<version>-<platform>/kubectl.
    try (var versions = Files.list(Path.of(binaries(), "k8s"))) {
      command.add(versions.sorted().toList().get(0).resolve("kubectl").toString());
    }
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  /** Runs a command to its end; its output, or a failed assertion showing it. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static int report(int trial, String token, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(reportUrl(trial)))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static String reportUrl(int trial) {
    return "http://127.0.0.1:"
        + httpPort
        + "/api/v1alpha1/namespaces/"
        + STUDY_NS
        + "/hpostudies/"
        + STUDY
        + "/trials/"
        + trial
        + "/metrics";
  }

  private static String token() {
    var secret =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> client.secrets().inNamespace(STUDY_NS).withName(STUDY + "-asap-report").get(),
                s -> s != null);
    return new String(
        Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }

  private static Map<String, String> values(List<EnvVar> env) {
    return env.stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static List<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> l) {
    return l.stream().map(o -> o.getMetadata().getName()).toList();
  }

  private static Job awaitJob(String name) {
    return await().atMost(OPERATOR_START).until(() -> job(name), j -> j != null);
  }

  private static Job job(String name) {
    return client.batch().v1().jobs().inNamespace(STUDY_NS).withName(name).get();
  }

  private static HpoTrial trial(String name) {
    return client.resources(HpoTrial.class).inNamespace(STUDY_NS).withName(name).get();
  }

  private HpoStudy study() {
    return client.resources(HpoStudy.class).inNamespace(STUDY_NS).withName(STUDY).get();
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void printLogs() {
    if (logDir == null) {
      return;
    }
    try (var logs = Files.list(logDir)) {
      for (Path log : logs.sorted().toList()) {
        System.out.println("----- " + log + " -----");
        System.out.println(Files.readString(log));
      }
    } catch (IOException e) {
      System.out.println("could not read the operator logs in " + logDir + ": " + e);
    }
  }
}
