package dev.asap.operator.tuner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.SpeculationVerdict;
import dev.asap.engine.speculation.TunerState;
import dev.asap.engine.speculation.TunerState.Threshold;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.api.HpoTrialSpec;
import dev.asap.operator.api.HpoTrialStatus;
import dev.asap.operator.trial.EngineJson;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Self-Tuner CronJob's run against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class SelfTuneJobTest {
  private static final Instant NOW = Instant.parse("2026-12-04T21:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String HOME = "asap-system";

  KubernetesClient client;

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  @Test
  void eachStudyGetsTheTauItsOwnEntriesGiveAndTheDefaultComesFromAllOfThem() {
    // alpha, sorted by error: costs 0, 0.1, 0.5; the mean stays within 0.1 up to the second.
    trial("team-a", "alpha", 0, entry(0, 0.01, 0.0), entry(1, 0.05, 0.1));
    trial("team-a", "alpha", 1, entry(2, 0.2, 0.5));
    // beta: both cost 0.05, so both are accepted and tau is the larger error.
    trial("team-b", "beta", 0, entry(0, 0.3, 0.05), entry(1, 0.4, 0.05));
    trial("team-b", "beta", 1);
    // Pooled: costs 0, 0.1, 0.5, 0.05, 0.05 by error; means 0, 0.05, 0.2, 0.1625, 0.14.
    var other = new Threshold(0.7, 9, 0.5, 0.01);
    client
        .configMaps()
        .inNamespace(HOME)
        .resource(map(new TunerState(1, null, 0.05, null, Map.of("other/gamma", other)).toJson()))
        .create();

    int code = SelfTuneJob.run(client, env(Map.of()), CLOCK, err);

    assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isEqualTo(0);
    TunerState state = stored();
    assertThat(state.updatedAt()).isEqualTo(NOW);
    assertThat(state.bound()).isEqualTo(0.1);
    assertThat(state.studies())
        .containsOnlyKeys("team-a/alpha", "team-b/beta", "other/gamma")
        .containsEntry("team-a/alpha", new Threshold(0.05, 3, 2.0 / 3, 0.05))
        .containsEntry("team-b/beta", new Threshold(0.4, 2, 1.0, 0.05))
        .containsEntry("other/gamma", other);
    assertThat(state.pooled()).isEqualTo(new Threshold(0.05, 5, 0.4, 0.05));
  }

  @Test
  void aMissingConfigMapIsCreatedAndOnlyTheListedNamespacesAreRead() {
    trial("team-a", "alpha", 0, entry(0, 0.01, 0.0), entry(1, 0.05, 0.1));
    trial("team-b", "beta", 0, entry(0, 0.3, 0.05), entry(1, 0.4, 0.05));

    int code =
        SelfTuneJob.run(client, env(Map.of(SelfTuneSettings.NAMESPACES, " team-b ,")), CLOCK, err);

    assertThat(code).isEqualTo(0);
    TunerState state = stored();
    assertThat(state.studies()).containsOnlyKeys("team-b/beta");
    assertThat(state.pooled()).isEqualTo(new Threshold(0.4, 2, 1.0, 0.05));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ASAP_SELF_TUNER_BOUND|0|ASAP_SELF_TUNER_BOUND must be greater than 0 and at most 1"
            + " (a fraction of the history), was '0'",
        "ASAP_SELF_TUNER_BOUND|2|ASAP_SELF_TUNER_BOUND must be greater than 0 and at most 1"
            + " (a fraction of the history), was '2'",
        "ASAP_SELF_TUNER_BOUND|x|ASAP_SELF_TUNER_BOUND must be greater than 0 and at most 1"
            + " (a fraction of the history), was 'x'",
        "ASAP_SELF_TUNER_MIN_ENTRIES|-1|ASAP_SELF_TUNER_MIN_ENTRIES must be a whole number of at"
            + " least 1, was '-1'",
      })
  void anInvalidSettingIsNamedAndNothingIsWritten(String name, String value, String message) {
    trial("team-a", "alpha", 0, entry(0, 0.01, 0.0), entry(1, 0.05, 0.1));

    int code = SelfTuneJob.run(client, env(Map.of(name, value)), CLOCK, err);

    assertThat(code).isEqualTo(1);
    assertThat(errBytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("asap self-tune: " + message + System.lineSeparator());
    assertThat(client.configMaps().inNamespace(HOME).withName("thresholds").get()).isNull();
  }

  @Test
  void aConfigMapThatDoesNotReadIsLeftAsItIs() {
    trial("team-a", "alpha", 0, entry(0, 0.01, 0.0), entry(1, 0.05, 0.1));
    ConfigMap before = client.configMaps().inNamespace(HOME).resource(map("{not json")).create();

    int code = SelfTuneJob.run(client, env(Map.of()), CLOCK, err);

    assertThat(code).isEqualTo(1);
    assertThat(errBytes.toString(StandardCharsets.UTF_8))
        .startsWith(
            "asap self-tune: the Self-Tuner state ConfigMap asap-system/thresholds key"
                + " self-tuner.json is not valid: ")
        .endsWith("; fix or remove it, nothing was written" + System.lineSeparator());
    ConfigMap after = client.configMaps().inNamespace(HOME).withName("thresholds").get();
    assertThat(after.getData()).isEqualTo(Map.of(ConfigMapThresholds.KEY, "{not json"));
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  private TunerState stored() {
    ConfigMap map = client.configMaps().inNamespace(HOME).withName("thresholds").get();
    return TunerState.parse(
        map.getData().get(ConfigMapThresholds.KEY).getBytes(StandardCharsets.UTF_8), "test");
  }

  /** The CronJob's environment: the ConfigMap, its namespace, bound 0.1, two entries suffice. */
  private static Function<String, String> env(Map<String, String> overrides) {
    var env = new HashMap<String, String>();
    env.put(SelfTuneSettings.CONFIGMAP, "thresholds");
    env.put(SelfTuneSettings.NAMESPACE, HOME);
    env.put(SelfTuneSettings.BOUND, "0.1");
    env.put(SelfTuneSettings.MIN_ENTRIES, "2");
    env.putAll(overrides);
    return env::get;
  }

  private static ConfigMap map(String state) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("thresholds")
        .withNamespace(HOME)
        .endMetadata()
        .addToData(ConfigMapThresholds.KEY, state)
        .build();
  }

  private void trial(String namespace, String study, int number, ExecutionLogEntry... entries) {
    var trial = new HpoTrial();
    trial.setMetadata(
        new ObjectMetaBuilder()
            .withName(HpoTrial.name(study, number))
            .withNamespace(namespace)
            .build());
    var spec = new HpoTrialSpec();
    spec.study = study;
    spec.number = number;
    spec.parameters = Map.of();
    trial.setSpec(spec);
    var status = new HpoTrialStatus();
    status.phase = HpoTrialStatus.COMPLETED;
    if (entries.length > 0) {
      status.speculations =
          List.of(entries).stream().map(e -> (JsonNode) EngineJson.MAPPER.valueToTree(e)).toList();
    }
    trial.setStatus(status);
    client.resource(trial).create();
  }

  /** An accepted speculation on trial {@code subject} with this error and rank shift. */
  private static ExecutionLogEntry entry(int subject, double relativeError, double rankShift) {
    return new ExecutionLogEntry(
        "ignored",
        subject,
        NOW,
        1.0,
        null,
        1.0,
        relativeError,
        100,
        1e-9,
        SpeculationVerdict.ACCEPTED,
        "gp",
        Map.of("lr", 0.01),
        5,
        0,
        5,
        0,
        null,
        rankShift);
  }
}
