package dev.asap.operator.config;

import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Whether this replica leads. Only the leader runs studies, so only the leader can take metric
 * reports: a standby reports itself not ready, and the operator's Service sends trial pods' reports
 * to the leader alone. Outside the prod profile there is no election and every replica leads.
 */
@Singleton
public class Leadership {
  private static final Logger LOG = Logger.getLogger(Leadership.class);

  private final AtomicBoolean leading =
      new AtomicBoolean(!ConfigUtils.getProfiles().contains("prod"));

  void started() {
    LOG.info("this replica leads: it runs the studies and takes metric reports");
    leading.set(true);
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
