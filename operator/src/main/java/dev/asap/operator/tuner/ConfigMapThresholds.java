package dev.asap.operator.tuner;

import dev.asap.engine.speculation.ThresholdSource;
import dev.asap.engine.speculation.TunerState;
import dev.asap.engine.study.SpeculationSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The accept thresholds the Self-Tuner CronJob writes into its ConfigMap, for studies with {@code
 * tau: auto}. Studies are keyed {@code namespace/name}; one without a threshold of its own gets the
 * pooled default, and before any tuning the engine's default. A ConfigMap that does not read keeps
 * the last good thresholds.
 */
public final class ConfigMapThresholds implements ThresholdSource, ResourceEventHandler<ConfigMap> {
  private static final Logger LOG = Logger.getLogger(ConfigMapThresholds.class);

  /** The ConfigMap key holding the state document. */
  public static final String KEY = TunerState.FILE_NAME;

  private final AtomicReference<TunerState> state = new AtomicReference<>(TunerState.empty());

  @Override
  public double tau(String study) {
    return state.get().tauFor(study).orElse(SpeculationSpec.DEFAULT_TAU);
  }

  /** Takes the thresholds in {@code map}. */
  public void update(ConfigMap map) {
    String text = map == null || map.getData() == null ? null : map.getData().get(KEY);
    if (text == null) {
      return;
    }
    try {
      state.set(
          TunerState.parse(
              text.getBytes(StandardCharsets.UTF_8),
              "ConfigMap " + map.getMetadata().getName() + " key " + KEY));
    } catch (IllegalStateException e) {
      LOG.warnf("%s; keeping the thresholds read before", e.getMessage());
    }
  }

  @Override
  public void onAdd(ConfigMap map) {
    update(map);
  }

  @Override
  public void onUpdate(ConfigMap before, ConfigMap after) {
    update(after);
  }

  @Override
  public void onDelete(ConfigMap map, boolean finalStateUnknown) {
    // Thresholds already read stay in force until the tuner writes new ones.
  }
}
