package dev.asap.operator.config;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Whether this replica leads. Only the leader runs studies, so only the leader can take metric
 * reports: a standby reports itself not ready, and the operator's Service sends trial pods' reports
 * to the leader alone. Without an election (outside the prod profile, or switched off) the one
 * replica leads.
 */
@Singleton
public class Leadership {
  private static final Logger LOG = Logger.getLogger(Leadership.class);

  private final AtomicBoolean leading = new AtomicBoolean(true);

  /** An election runs: this replica leads only once it wins. */
  void electing() {
    leading.set(false);
  }

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
