package dev.asap.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * Lets several operator replicas run, one of them reconciling: they compete for a Lease in the
 * operator's namespace (the Quarkus Operator SDK uses this configuration in the prod profile). A
 * replica that loses the lease exits, and Kubernetes restarts it as a standby; the new leader
 * resumes every study from its HpoTrial records and adopts the running Jobs. With {@code
 * asap.operator.leader-election=false} there is none (one replica, the Deployment's Recreate
 * strategy keeps two from overlapping).
 */
public class LeaderElectionProducer {

  /** The election's settings, or {@code null} (no election) when it is switched off. */
  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(OperatorConfig config, Leadership leadership) {
    if (!config.leaderElection()) {
      return null;
    }
    leadership.electing();
    return new LeaderElectionConfiguration(
        config.leaseName(),
        config.namespace().orElse(null),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        null,
        new LeaderCallbacks(leadership::started, leadership::stopped, leadership::leaderIs),
        // Not the SDK's System.exit: called during a shutdown it would block for ever. Leadership
        // exits by itself when the lease is lost while running.
        false);
  }
}
