package dev.asap.operator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Whether this replica leads. Only the leader runs studies, so only the leader can take metric
 * reports: on winning the election it labels its own pod {@value #LEADER_LABEL}, which the chart's
 * Service selects, so trial pods' reports reach the leader alone; standbys stay ready (a rolling
 * update and a node drain need them to) and answer reports that still reach them with 503, which
 * the SDK retries. Without an election (outside the prod profile, or switched off) the one replica
 * leads.
 */
@Singleton
public class Leadership {
  private static final Logger LOG = Logger.getLogger(Leadership.class);

  /** The label the leader puts on its own pod; the operator's Service selects it. */
  public static final String LEADER_LABEL = "asap.dev/leader";

  @Inject KubernetesClient client;
  @Inject OperatorConfig config;

  /**
   * Whether this replica leads. With an election (prod profile, switched on) it starts false, so
   * that reports before the election are answered "retry", not "unknown".
   */
  private final AtomicBoolean leading =
      new AtomicBoolean(
          !(io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.NORMAL
              && ConfigProvider.getConfig()
                  .getOptionalValue("asap.operator.leader-election", Boolean.class)
                  .orElse(true)));

  private volatile boolean shuttingDown;

  /** An election runs: this replica leads only once it wins. */
  void electing() {
    leading.set(false);
    label(false); // a pod restarted in place may still carry the label from before
  }

  void started() {
    LOG.info("this replica leads: it runs the studies and takes metric reports");
    leading.set(true);
    label(true);
  }

  /** The operator is shutting down: losing the lease now is expected. */
  public void shuttingDown() {
    shuttingDown = true;
  }

  /** Labels this replica's pod as the leader's (or not), so the Service sends reports to it. */
  private void label(boolean leader) {
    String pod = System.getenv("HOSTNAME");
    String namespace = config.namespace().orElse(null);
    if (pod == null || namespace == null) {
      return;
    }
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(pod)
          .edit(
              p -> {
                if (leader) {
                  p.getMetadata().getLabels().put(LEADER_LABEL, "true");
                } else {
                  p.getMetadata().getLabels().remove(LEADER_LABEL);
                }
                return p;
              });
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not set the leader label of pod %s (metric reports may go astray): %s",
          pod, e.toString());
    }
  }

  void stopped() {
    leading.set(false);
    if (shuttingDown) {
      return;
    }
    // Lost while running: another replica may lead by now. Stop running studies here, and exit so
    // that Kubernetes restarts this pod as a standby.
    LOG.warn("this replica lost the lease; exiting");
    label(false);
    io.quarkus.runtime.Quarkus.asyncExit(1);
  }

  void leaderIs(String identity) {
    LOG.infof("the leader is %s", identity);
  }

  /** Whether this replica leads. */
  public boolean leading() {
    return leading.get();
  }
}
