package dev.asap.operator.tuner;

import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.SelfTuner;
import dev.asap.engine.speculation.SelfTuner.Decision;
import dev.asap.engine.speculation.TunerState;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.trial.TrialRecords;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One run of the Self-Tuner on a cluster, as its CronJob starts it: reads the speculations every
 * HpoTrial records, chooses each study's τ and the pooled default with the engine's {@link
 * SelfTuner}, exactly as {@code asap self-tune} does from local execution logs, and merges them
 * into the ConfigMap the operator reads thresholds from.
 */
public final class SelfTuneJob {
  private static final Logger LOG = Logger.getLogger(SelfTuneJob.class);
  private static final int HTTP_CONFLICT = 409;

  private final KubernetesClient client;
  private final SelfTuneSettings settings;
  private final Clock clock;

  public SelfTuneJob(KubernetesClient client, SelfTuneSettings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Reads the settings through {@code env}, tunes once, and says how it went.
   *
   * @param err where a failure is explained, in one line naming what is wrong
   * @return 0 when the ConfigMap holds the new thresholds, 1 when nothing was written
   */
  public static int run(
      KubernetesClient client, Function<String, String> env, Clock clock, PrintStream err) {
    try {
      var settings = SelfTuneSettings.read(env, client.getNamespace());
      new SelfTuneJob(client, settings, clock).tune();
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("asap self-tune: " + e.getMessage());
      return 1;
    } catch (KubernetesClientException e) {
      // The client's own message names only the operation; the cause says what went wrong.
      Throwable cause = e.getCause();
      err.println(
          "asap self-tune: "
              + e.getMessage().strip()
              + (cause == null ? "" : " (" + cause + ")")
              + "; nothing was written");
      return 1;
    }
  }

  /**
   * Tunes once and writes the ConfigMap.
   *
   * @return the state written
   * @throws IllegalStateException when the ConfigMap holds a state that does not read; it is left
   *     as it is, since overwriting it would lose thresholds nobody can recover
   */
  public TunerState tune() {
    Map<String, List<ExecutionLogEntry>> logs = readLogs();
    var tuner = new SelfTuner(settings.bound(), settings.minEntries());
    var decisions = new LinkedHashMap<String, Decision>();
    logs.forEach((study, entries) -> decisions.put(study, tuner.decide(entries)));
    Decision pooled = tuner.decidePooled(logs.values());

    TunerState written = writeRetryingOnce(decisions, pooled);

    decisions.forEach((study, decision) -> log(study, decision, written.study(study).orElse(null)));
    log("default", pooled, written.pooled());
    return written;
  }

  private TunerState writeRetryingOnce(Map<String, Decision> decisions, Decision pooled) {
    try {
      return write(decisions, pooled);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HTTP_CONFLICT) {
        throw e;
      }
      // Someone wrote the ConfigMap between our read and our write: merge into theirs once more.
      LOG.infof("ConfigMap %s changed while tuning; merging again", settings.configMap());
      return write(decisions, pooled);
    }
  }

  /** Each study's entries, keyed {@code namespace/name} as the operator asks for thresholds. */
  private Map<String, List<ExecutionLogEntry>> readLogs() {
    var trials = new ArrayList<HpoTrial>();
    if (settings.namespaces().isEmpty()) {
      trials.addAll(client.resources(HpoTrial.class).inAnyNamespace().list().getItems());
    } else {
      for (String namespace : settings.namespaces()) {
        trials.addAll(client.resources(HpoTrial.class).inNamespace(namespace).list().getItems());
      }
    }
    trials.sort(
        Comparator.comparing((HpoTrial t) -> t.getMetadata().getNamespace())
            .thenComparing(t -> t.getSpec().study)
            .thenComparing(t -> t.getSpec().number));
    var logs = new TreeMap<String, List<ExecutionLogEntry>>();
    for (HpoTrial trial : trials) {
      List<ExecutionLogEntry> entries = TrialRecords.speculations(trial);
      if (trial.getSpec() == null || trial.getSpec().study == null || entries.isEmpty()) {
        continue;
      }
      String key = trial.getMetadata().getNamespace() + "/" + trial.getSpec().study;
      logs.computeIfAbsent(key, k -> new ArrayList<>()).addAll(entries);
    }
    return logs;
  }

  /** Reads the ConfigMap, merges the decisions into its state and writes it back. */
  private TunerState write(Map<String, Decision> decisions, Decision pooled) {
    var maps = client.configMaps().inNamespace(settings.namespace());
    ConfigMap current = maps.withName(settings.configMap()).get();
    TunerState before = read(current);
    TunerState after = before.merge(decisions, pooled, settings.bound(), clock.instant());
    if (current == null) {
      maps.resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(settings.configMap())
                  .withNamespace(settings.namespace())
                  .addToLabels("app.kubernetes.io/managed-by", "asap-self-tuner")
                  .endMetadata()
                  .addToData(ConfigMapThresholds.KEY, after.toJson())
                  .build())
          .create();
    } else {
      // The resourceVersion read above makes the update fail with 409 if the map changed since.
      ConfigMap updated =
          new ConfigMapBuilder(current).addToData(ConfigMapThresholds.KEY, after.toJson()).build();
      maps.resource(updated).update();
    }
    return after;
  }

  private TunerState read(ConfigMap map) {
    String text =
        map == null || map.getData() == null ? null : map.getData().get(ConfigMapThresholds.KEY);
    if (text == null) {
      return TunerState.empty();
    }
    String origin =
        "ConfigMap "
            + settings.namespace()
            + "/"
            + settings.configMap()
            + " key "
            + ConfigMapThresholds.KEY;
    try {
      return TunerState.parse(text.getBytes(StandardCharsets.UTF_8), origin);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          e.getMessage() + "; fix or remove it, nothing was written", e);
    }
  }

  private void log(String study, Decision decision, TunerState.Threshold now) {
    if (!decision.decided()) {
      LOG.infof(
          "%s: %d entries, too few to tune (need %d), tau %s kept",
          study, decision.entries(), settings.minEntries(), now == null ? "none" : now.tau());
      return;
    }
    LOG.infof(
        "%s: %d entries, tau %s, accepts %.1f%%, cost %.4f (accepting all: %.4f)",
        study,
        decision.entries(),
        decision.tau(),
        100 * decision.acceptFraction(),
        decision.cost(),
        decision.costIfAllAccepted());
  }
}
