package dev.asap.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The operator's settings: {@code asap.operator.*}, or {@code ASAP_OPERATOR_*} in the env. */
@ConfigMapping(prefix = "asap.operator")
public interface OperatorConfig {

  /**
   * The base URL trial pods reach the operator at, for their metric reports; in the chart, the
   * operator's Service.
   */
  @WithDefault("http://asap-operator.asap-system.svc:8080")
  String reportUrl();

  /** Where studies with the LLM integrator and no endpoint of their own reach the gateway. */
  @WithDefault("http://127.0.0.1:8470/v1")
  String gatewayEndpoint();

  /** The ConfigMap the Self-Tuner writes thresholds into, in {@link #namespace()}. */
  @WithDefault("asap-self-tuner")
  String selfTunerConfigmap();

  /** The namespace the operator runs in (the downward API sets it in the chart). */
  Optional<String> namespace();

  /** Where the engine keeps each study's working files (rebuilt from HpoTrials on start). */
  @WithDefault("/tmp/asap-operator")
  Path stateDir();

  /** Whether replicas elect a leader through a Lease (in the prod profile). */
  @WithDefault("true")
  boolean leaderElection();

  /** The Lease's name. */
  @WithDefault("asap-operator-leader")
  String leaseName();
}
