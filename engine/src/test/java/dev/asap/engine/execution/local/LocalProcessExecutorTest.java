package dev.asap.engine.execution.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.engine.execution.MetricReport;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.SearchSpace;
import dev.asap.engine.study.MetricsCollector;
import dev.asap.engine.study.TrialTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessExecutorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration GRACE = Duration.ofMillis(500);
  private static final SearchSpace SPACE =
      new SearchSpace(
          List.of(
              new FloatParameter("lr", 1e-5, 1, true),
              new IntParameter("layers", 1, 8, 1, false),
              new CategoricalParameter("optimizer", List.of("adam", "sgd"))));
  private static final Configuration CONFIGURATION =
      SPACE.configuration(Map.of("lr", 1e-4, "layers", 3, "optimizer", "adam"));

  @TempDir Path dir;

  private final LocalProcessExecutor executor = new LocalProcessExecutor(GRACE);
  private final List<MetricReport> reports = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeExecutor() {
    executor.close();
  }

  @Test
  void reportsMetricLinesOfARealProcessInOrderWithTheirSteps() throws Exception {
    RunningTrial trial =
        start(
            sh(
                "echo starting; echo 'epoch=1 loss=0.5'; echo 'Using lr=0.1 for training';"
                    + " echo '{\"metrics\": {\"loss\": 0.25}, \"step\": 2}'; echo val_accuracy=0.93"));

    assertThat(exitOf(trial))
        .isEqualTo(new TrialExit(TrialExit.Kind.EXITED, 0, "exited with code 0"));
    assertThat(reports)
        .extracting(MetricReport::name, MetricReport::value, MetricReport::step)
        .containsExactly(
            tuple("loss", 0.5, 1L), tuple("loss", 0.25, 2L), tuple("val_accuracy", 0.93, null));
  }

  @Test
  void everyMetricLineIsReportedBeforeTheExitCompletes() throws Exception {
    RunningTrial trial =
        start(sh("i=0; while [ $i -lt 3000 ]; do echo \"step=$i loss=$i\"; i=$((i+1)); done"));

    exitOf(trial);
    assertThat(reports).hasSize(3000);
    assertThat(reports.get(2999))
        .extracting(MetricReport::value, MetricReport::step)
        .containsExactly(2999.0, 2999L);
  }

  @Test
  void passesANanReportThroughAsNan() throws Exception {
    exitOf(start(sh("echo loss=nan")));

    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).value()).isNaN();
  }

  @Test
  void substitutesParametersIntoTheArgumentsAndTheEnvironment() throws Exception {
    ObjectNode container =
        sh(
            "printf '%s|' \"$@\"; echo; echo \"$ASAP_STUDY|$ASAP_TRIAL|$ASAP_PARAM_LR"
                + "|$ASAP_PARAM_LAYERS|$ASAP_PARAM_OPTIMIZER|$FROM_TEMPLATE|${SECRET-unset}\";"
                + " echo \"$ASAP_TRIAL_PARAMETERS\"; echo \"$PATH\"",
            "trial");
    strings(
        container.putArray("args"),
        "--lr=${trial.parameters.lr}",
        "--layers",
        "${trial.parameters.layers}",
        "--optimizer=${trial.parameters.optimizer}");
    ArrayNode env = container.putArray("env");
    env.addObject().put("name", "FROM_TEMPLATE").put("value", "n=${trial.parameters.layers}");
    env.addObject().put("name", "SECRET").putObject("valueFrom").putObject("secretKeyRef");

    exitOf(start(container));

    assertThat(log())
        .isEqualTo(
            "--lr=0.0001|--layers|3|--optimizer=adam|\n"
                + "demo|7|0.0001|3|adam|n=3|unset\n"
                + "{\"lr\":1.0E-4,\"layers\":3,\"optimizer\":\"adam\"}\n"
                + System.getenv("PATH")
                + "\n");
  }

  @Test
  void aParameterNameBecomesAnUpperCaseVariableNameOfLettersDigitsAndUnderscores() {
    assertThat(TrialEnvironment.variableName("learning-rate.v2"))
        .isEqualTo("ASAP_PARAM_LEARNING_RATE_V2");
  }

  @Test
  void runsInTheContainersWorkingDirectoryUnderTheBaseFolder() throws Exception {
    Files.createDirectories(dir.resolve("work/3"));
    ObjectNode container = sh("pwd").put("workingDir", "work/${trial.parameters.layers}");

    exitOf(start(container));

    assertThat(log()).isEqualTo(dir.resolve("work/3").toRealPath() + "\n");
  }

  @Test
  void appendsTheOutputToTheLogByteForByte() throws Exception {
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(dir.resolve("logs/trial-7.log"), "earlier run\n");

    exitOf(start(sh("printf 'first line\\r\\nprogress 50%%\\rprogress 100%%\\nno newline'")));

    assertThat(log())
        .isEqualTo("earlier run\nfirst line\r\nprogress 50%\rprogress 100%\nno newline");
  }

  @Test
  void keepsStandardErrorInTheLogAndReadsItsMetrics() throws Exception {
    exitOf(start(sh("echo loss=0.5 >&2; echo 'warning: slow' >&2")));

    assertThat(log()).isEqualTo("loss=0.5\nwarning: slow\n");
    assertThat(reports)
        .extracting(MetricReport::name, MetricReport::value)
        .containsExactly(tuple("loss", 0.5));
  }

  @Test
  void aNonZeroExitEndsAsExitedWithThatCode() throws Exception {
    assertThat(exitOf(start(sh("exit 3"))))
        .isEqualTo(new TrialExit(TrialExit.Kind.EXITED, 3, "exited with code 3"));
  }

  @Test
  void aFailedExitQuotesTheLastLineTheTrialPrinted() throws Exception {
    assertThat(
            exitOf(
                start(sh("echo Traceback >&2; echo 'ValueError: bad lr' >&2; echo >&2; exit 1"))))
        .isEqualTo(
            new TrialExit(TrialExit.Kind.EXITED, 1, "exited with code 1: ValueError: bad lr"));
  }

  @Test
  void aMissingProgramFailsToStartNamingIt() throws Exception {
    RunningTrial trial = start(container("asap-no-such-program", "--flag"));

    TrialExit exit = exitOf(trial);
    assertThat(exit.kind()).isEqualTo(TrialExit.Kind.FAILED_TO_START);
    assertThat(exit.exitCode()).isNull();
    assertThat(exit.detail()).startsWith("cannot run program asap-no-such-program: ");
    assertThat(trial.handle()).isEqualTo("none");
  }

  @Test
  void aMissingWorkingDirectoryFailsToStartNamingIt() throws Exception {
    ObjectNode container = sh("true").put("workingDir", "nowhere");

    assertThat(exitOf(start(container)))
        .isEqualTo(
            new TrialExit(
                TrialExit.Kind.FAILED_TO_START,
                null,
                "working directory " + dir.resolve("nowhere") + " does not exist"));
  }

  @Test
  void aContainerWithoutCommandFailsToStart() throws Exception {
    ObjectNode container = JSON.createObjectNode().put("name", "trial");
    strings(container.putArray("args"), "train.py");

    assertThat(exitOf(start(container)))
        .isEqualTo(
            new TrialExit(
                TrialExit.Kind.FAILED_TO_START,
                null,
                "the trial container has no command; a local trial needs one, since the image's"
                    + " entrypoint is not available locally"));
  }

  @Test
  void aPlaceholderOfAnUnknownParameterFailsToStart() throws Exception {
    assertThat(exitOf(start(sh("echo ${trial.parameters.momentum}"))))
        .isEqualTo(
            new TrialExit(
                TrialExit.Kind.FAILED_TO_START,
                null,
                "the trial template does not fit the trial: ${trial.parameters.momentum} names no"
                    + " parameter; parameters: lr, layers, optimizer"));
  }

  @Test
  void anEnvironmentEntryWithoutANameFailsToStart() throws Exception {
    ObjectNode container = sh("true");
    container.putArray("env").addObject().put("value", "x");

    assertThat(exitOf(start(container)))
        .isEqualTo(
            new TrialExit(
                TrialExit.Kind.FAILED_TO_START,
                null,
                "the trial template does not fit the trial: an env entry of the trial container"
                    + " has no name"));
  }

  @Test
  void theTimeLimitStopsTheProcessAndItsChildren() {
    RunningTrial trial =
        executor.start(
            launch(sh("sleep 60 & echo child=$!; wait"), Duration.ofSeconds(1)), reports::add);
    long child = awaitReported("child");

    await().atMost(Duration.ofSeconds(1).plus(GRACE).plusSeconds(3)).until(trial.exit()::isDone);
    assertThat(trial.exit().join())
        .isEqualTo(new TrialExit(TrialExit.Kind.TIMED_OUT, 143, "ran past its time limit of 1s"));
    await().atMost(Duration.ofSeconds(2)).until(() -> !running(child));
  }

  @Test
  void stopKillsAProcessTreeThatIgnoresSigtermAfterTheGracePeriod() {
    RunningTrial trial = start(sh("trap '' TERM; sleep 60 & echo child=$!; wait"));
    long child = awaitReported("child");

    trial.stop("the study has ended");

    await().atMost(GRACE.plusSeconds(3)).until(trial.exit()::isDone);
    assertThat(trial.exit().join())
        .isEqualTo(new TrialExit(TrialExit.Kind.STOPPED, 137, "the study has ended"));
    await().atMost(Duration.ofSeconds(2)).until(() -> !running(child));
  }

  @Test
  void endsOnceTheOutputGoesQuietWhenABackgroundProcessKeepsItOpen() throws Exception {
    RunningTrial trial = start(sh("sleep 60 & echo child=$!; echo loss=0.5"));
    long child = awaitReported("child");
    try {
      assertThat(exitOf(trial))
          .isEqualTo(new TrialExit(TrialExit.Kind.EXITED, 0, "exited with code 0"));
      assertThat(reports).extracting(MetricReport::name).containsExactly("child", "loss");
    } finally {
      ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void closeStopsEveryTrialStillRunning() {
    RunningTrial trial = start(sh("exec sleep 60"));

    executor.close();

    assertThat(trial.exit()).isDone();
    assertThat(trial.exit().join())
        .isEqualTo(new TrialExit(TrialExit.Kind.STOPPED, 143, "the executor was closed"));
  }

  @Test
  void theHandleNamesTheProcessAndWhenItStarted() {
    Instant before = Instant.now();
    RunningTrial trial = start(sh("echo pid=$$; exec sleep 60"));
    long pid = awaitReported("pid");

    String[] parts = trial.handle().split(":");
    assertThat(parts).hasSize(3);
    assertThat(parts[0]).isEqualTo("pid");
    assertThat(Long.parseLong(parts[1])).isEqualTo(pid);
    // Linux counts start times in clock ticks from a boot time given in whole seconds.
    assertThat(Instant.ofEpochMilli(Long.parseLong(parts[2])))
        .isBetween(before.minusSeconds(2), Instant.now().plusSeconds(2));
  }

  @Test
  void anotherExecutorReclaimsARunningTrialFromItsHandle() throws Exception {
    RunningTrial trial = start(sh("sleep 60 & echo child=$!; wait"));
    long child = awaitReported("child");

    try (var resumed = new LocalProcessExecutor(GRACE)) {
      resumed.reclaim(trial.handle());
    }

    // The first executor did not stop it: to it, its process just ended on SIGTERM.
    assertThat(exitOf(trial))
        .isEqualTo(
            new TrialExit(TrialExit.Kind.EXITED, 143, "exited with code 143: child=" + child));
    await().atMost(Duration.ofSeconds(2)).until(() -> !running(child));
  }

  @Test
  void reclaimStopsAnOrphanedProcessAndItsChildrenFromTheHandle() throws Exception {
    Process parent =
        new ProcessBuilder(
                "/bin/sh", "-c", "sh -c 'sleep 60 & echo child=$!; wait' & echo orphan=$!; wait")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Map<String, Long> pids = readPids(parent, 2);
    // Once its parent is gone, the inner shell is an orphan, as after the study process died.
    parent.destroyForcibly().waitFor();
    long orphan = pids.get("orphan");
    long child = pids.get("child");
    String handle = "pid:" + orphan + ":" + startMillis(orphan);

    executor.reclaim(handle);

    await().atMost(GRACE.plusSeconds(3)).until(() -> !running(orphan) && !running(child));
  }

  @Test
  void reclaimLeavesAloneAPidNowHeldByAnotherProcess() throws Exception {
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      String handle = "pid:" + other.pid() + ":" + (startMillis(other.pid()) - 60_000);

      executor.reclaim(handle);

      await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(other::isAlive);
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void reclaimIgnoresAnEndedProcessAndHandlesThatNameNoProcess() throws Exception {
    Process ended = new ProcessBuilder("sleep", "60").start();
    String handle = "pid:" + ended.pid() + ":" + startMillis(ended.pid());
    ended.destroyForcibly().waitFor();

    for (String h : List.of(handle, "none", "job:demo-7", "pid:12:unknown")) {
      assertThatCode(() -> executor.reclaim(h)).doesNotThrowAnyException();
    }
  }

  private RunningTrial start(ObjectNode container) {
    return executor.start(launch(container, null), reports::add);
  }

  private TrialLaunch launch(ObjectNode container, Duration timeout) {
    ObjectNode template = JSON.createObjectNode();
    template.putObject("spec").putArray("containers").add(container);
    return new TrialLaunch(
        "demo",
        7,
        CONFIGURATION,
        new TrialTemplate(template, null, MetricsCollector.stdout()),
        dir,
        Path.of("logs/trial-7.log"),
        timeout);
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("logs/trial-7.log"));
  }

  private static TrialExit exitOf(RunningTrial trial) throws Exception {
    return trial.exit().get(10, TimeUnit.SECONDS);
  }

  private static ObjectNode sh(String script, String... arguments) {
    ObjectNode container = container("/bin/sh", "-c", script);
    strings((ArrayNode) container.get("command"), arguments);
    return container;
  }

  private static ObjectNode container(String... command) {
    ObjectNode container = JSON.createObjectNode().put("name", "trial");
    strings(container.putArray("command"), command);
    return container;
  }

  private static void strings(ArrayNode array, String... values) {
    for (String v : values) {
      array.add(v);
    }
  }

  private long awaitReported(String metric) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> reports.stream().anyMatch(r -> r.name().equals(metric)));
    return reports.stream()
        .filter(r -> r.name().equals(metric))
        .mapToLong(r -> (long) r.value())
        .findFirst()
        .orElseThrow();
  }

  /** Reads {@code name=pid} lines from the process until it has {@code count} of them. */
  private static Map<String, Long> readPids(Process process, int count) throws IOException {
    var pids = new HashMap<String, Long>();
    try (var reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      while (pids.size() < count) {
        String[] pair = reader.readLine().split("=");
        pids.put(pair[0], Long.parseLong(pair[1]));
      }
    }
    return pids;
  }

  private static long startMillis(long pid) {
    return ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow().toEpochMilli();
  }

  /** Whether {@code pid} runs; a killed process that its parent has not reaped yet does not. */
  private static boolean running(long pid) {
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (!Files.isDirectory(Path.of("/proc"))) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String text = Files.readString(stat);
      char state = text.charAt(text.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }
}
