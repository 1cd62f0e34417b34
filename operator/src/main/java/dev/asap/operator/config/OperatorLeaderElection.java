package dev.asap.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Lets several operator replicas run, one of them reconciling: they compete for a Lease in the
 * operator's namespace (the Quarkus Operator SDK turns election on in the prod profile when this
 * bean exists). A replica that loses the lease exits, and Kubernetes restarts it as a standby; the
 * new leader resumes every study from its HpoTrial records and adopts the running Jobs.
 */
@Singleton
public class OperatorLeaderElection extends LeaderElectionConfiguration {
  public OperatorLeaderElection(OperatorConfig config, Leadership leadership) {
    super(
        config.leaseName(),
        config.namespace().orElse(null),
        LEASE_DURATION_DEFAULT_VALUE,
        RENEW_DEADLINE_DEFAULT_VALUE,
        RETRY_PERIOD_DEFAULT_VALUE,
        null,
        new LeaderCallbacks(leadership::started, leadership::stopped, leadership::leaderIs),
        true);
  }
}
