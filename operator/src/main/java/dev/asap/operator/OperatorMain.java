package dev.asap.operator;

import dev.asap.operator.config.Leadership;
import dev.asap.operator.config.OperatorConfig;
import dev.asap.operator.study.StudyRuntimes;
import dev.asap.operator.tuner.SelfTuneJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The operator's entry point: with no arguments it runs the controllers until asked to stop; with
 * {@code self-tune} it runs the Self-Tuner once, as its CronJob does, and exits.
 *
 * <p>The Quarkus Operator SDK starts the controllers by itself only in an application without a
 * {@link QuarkusApplication} of its own, whatever {@code quarkus.operator-sdk.start-operator} says:
 * with this class, they start here, and only in operator mode. The Operator is looked up only then,
 * so {@code self-tune} does not even register them.
 */
@QuarkusMain
public class OperatorMain implements QuarkusApplication {
  private static final Logger LOG = Logger.getLogger(OperatorMain.class);

  /** The argument that selects the Self-Tuner. */
  public static final String SELF_TUNE = "self-tune";

  @Inject Provider<Operator> operator;
  @Inject KubernetesClient client;
  @Inject StudyRuntimes runtimes;
  @Inject OperatorConfig config;
  @Inject Leadership leadership;

  /** Clears this replica's name from the Lease it holds; does nothing when it holds none. */
  private void releaseLease() {
    if (!config.leaderElection()) {
      return;
    }
    String namespace = config.namespace().orElse(client.getNamespace());
    String me = System.getenv("HOSTNAME");
    if (namespace == null || me == null) {
      return;
    }
    try {
      var lease = client.leases().inNamespace(namespace).withName(config.leaseName());
      var current = lease.get();
      if (current != null
          && current.getSpec() != null
          && me.equals(current.getSpec().getHolderIdentity())) {
        lease.edit(
            l -> {
              l.getSpec().setHolderIdentity(null);
              return l;
            });
        LOG.infof("released the Lease %s/%s", namespace, config.leaseName());
      }
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not release the Lease (the next leader waits for it to expire): %s", e.toString());
    }
  }

  @Override
  public int run(String... args) {
    if (args.length == 0) {
      Operator controllers = operator.get();
      controllers.start();
      Quarkus.waitForExit();
      // Let go of the studies first (their Jobs keep running; none starts here any more), stop
      // electing, then clear the Lease, so that the next leader takes over at once instead of
      // waiting for it to expire.
      boolean leading = leadership.leading();
      leadership.shuttingDown();
      runtimes.close();
      controllers.stop();
      if (leading) {
        releaseLease();
      }
      return 0;
    }
    if (args.length == 1 && SELF_TUNE.equals(args[0])) {
      return SelfTuneJob.run(client, System::getenv, Clock.systemUTC(), System.err);
    }
    LOG.errorf(
        "unknown arguments %s: run with none for the operator, or with %s",
        String.join(" ", args), SELF_TUNE);
    return 2;
  }
}
