package dev.asap.operator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
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

  private final AtomicBoolean leading = new AtomicBoolean(true);

  /** An election runs: this replica leads only once it wins. */
  void electing() {
    leading.set(false);
  }

  void started() {
    LOG.info("this replica leads: it runs the studies and takes metric reports");
    leading.set(true);
    labelOwnPod();
  }

  /** Labels this replica's pod as the leader's, so that the Service sends reports here. */
  private void labelOwnPod() {
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
                p.getMetadata().getLabels().put(LEADER_LABEL, "true");
                return p;
              });
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not label pod %s as the leader (metric reports may not reach it): %s",
          pod, e.toString());
    }
  }

  void stopped() {
    LOG.info("this replica no longer leads");
    leading.set(false);
  }

  void leaderIs(String identity) {
    LOG.infof("the leader is %s", identity);
  }

  /** Whether this replica leads. */
  public boolean leading() {
    return leading.get();
  }
}
