package dev.asap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: an {@code asap run} process is killed with SIGKILL in the middle of a study, with
 * trials running, and a second {@code asap run} of the same file finishes it. Real processes all
 * the way down: the command, its JVM, and each trial.
 */
class KilledRunResumesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TRIALS = 12;

  @TempDir Path dir;

  private static final String STUDY =
      """
      apiVersion: asap.dev/v1alpha1
      kind: HpoStudy
      metadata:
        name: killed
      spec:
        seed: 3
        objective: {metric: loss, direction: minimize}
        searchSpace:
          parameters:
            - {name: x, type: float, min: 0, max: 1}
            - {name: n, type: int, min: 1, max: 50}
        budget: {maxTrials: %d, parallelism: 3, trialTimeout: 1m}
        pool: {optimizers: [random, sobol, tpe]}
        trialTemplate:
          template:
            spec:
              containers:
                - name: trial
                  command: [sh, -c]
                  args: ["sleep 0.6; echo loss=${trial.parameters.x} n=${trial.parameters.n}"]
      """
          .formatted(MAX_TRIALS);

  private Process asapRun(Path study) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            AsapCommand.class.getName(),
            "run",
            "--quiet",
            "--state-dir",
            dir.resolve("state").toString(),
            study.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("out-" + System.nanoTime() + ".txt").toFile())
        .start();
  }

  /** Each trial's latest record in the journal, by number. */
  private Map<Integer, JsonNode> trials() throws IOException {
    var trials = new LinkedHashMap<Integer, JsonNode>();
    Path journal = dir.resolve("state/killed/trials.jsonl");
    if (!Files.exists(journal)) {
      return trials;
    }
    for (String line : Files.readAllLines(journal)) {
      if (!line.endsWith("}")) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      if (node.path("type").asText().equals("trial")) {
        JsonNode r = node.path("record");
        trials.put(r.path("number").asInt(), r);
      }
    }
    return trials;
  }

  private long count(Map<Integer, JsonNode> trials, String state) {
    return trials.values().stream().filter(t -> t.path("state").asText().equals(state)).count();
  }

  @Test
  void aRunKilledMidStudyResumesWithNothingLostOrRepeated() throws Exception {
    Path study = dir.resolve("study.yaml");
    Files.writeString(study, STUDY);

    Process first = asapRun(study);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count(trials(), "COMPLETED") >= 4 && count(trials(), "RUNNING") >= 1);
    first.destroyForcibly();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Map<Integer, JsonNode> before = trials();
    var runningAtKill = new ArrayList<Integer>();
    var orphanHandles = new ArrayList<String>();
    before.forEach(
        (n, t) -> {
          if (t.path("state").asText().equals("RUNNING")) {
            runningAtKill.add(n);
            orphanHandles.add(t.path("handle").asText());
          }
        });

    Process second = asapRun(study);
    assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isEqualTo(0);
    Map<Integer, JsonNode> after = trials();

    // Nothing finished is lost or changed.
    before.forEach(
        (n, t) -> {
          if (!t.path("state").asText().equals("RUNNING")) {
            assertThat(after.get(n)).isEqualTo(t);
          }
        });
    // What was running is recorded as interrupted, and its process is gone.
    for (int n : runningAtKill) {
      assertThat(after.get(n).path("state").asText()).isEqualTo("INTERRUPTED");
    }
    for (String handle : orphanHandles) {
      long pid = Long.parseLong(handle.split(":")[1]);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true) || zombie(pid));
    }
    // The budget is met exactly, and no configuration ran twice.
    assertThat(count(after, "COMPLETED")).isEqualTo(MAX_TRIALS);
    assertThat(after).hasSize(MAX_TRIALS + runningAtKill.size());
    List<String> configurations =
        after.values().stream().map(t -> t.path("parameters").toString()).toList();
    assertThat(new HashSet<>(configurations)).hasSameSizeAs(configurations);
  }

  /** A killed orphan can linger as a zombie until init reaps it; it no longer runs. */
  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }
}
