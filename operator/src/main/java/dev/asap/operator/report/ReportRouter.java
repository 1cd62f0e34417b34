package dev.asap.operator.report;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Knows which trials are running where: studies register their report token and each running trial
 * registers where its reports go. The HTTP endpoint asks it who may report; the stream ends here,
 * handing each report to its trial.
 */
@ApplicationScoped
public class ReportRouter {
  private static final Logger LOG = Logger.getLogger(ReportRouter.class);

  /** Whether a report may be taken, and if not, why. */
  public enum Admission {
    ACCEPTED,
    UNKNOWN_STUDY,
    UNAUTHORIZED,
    UNKNOWN_TRIAL,
    TRIAL_ENDED
  }

  private final Map<String, byte[]> tokens = new ConcurrentHashMap<>();
  private final Map<String, Consumer<TrialReport>> trials = new ConcurrentHashMap<>();
  private final Map<String, Boolean> ended = new ConcurrentHashMap<>();

  /** Accepts reports for {@code study} that carry {@code token}. */
  public void registerStudy(String namespace, String study, String token) {
    tokens.put(key(namespace, study), token.getBytes(StandardCharsets.UTF_8));
  }

  /** Refuses every report for {@code study} from now on. */
  public void unregisterStudy(String namespace, String study) {
    tokens.remove(key(namespace, study));
    String prefix = key(namespace, study) + "#";
    trials.keySet().removeIf(k -> k.startsWith(prefix));
    ended.keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** Sends {@code trial}'s reports to {@code receiver} until {@link #trialEnded}. */
  public void registerTrial(
      String namespace, String study, int trial, Consumer<TrialReport> receiver) {
    String key = key(namespace, study) + "#" + trial;
    ended.remove(key);
    trials.put(key, receiver);
  }

  /**
   * Refuses {@code trial}'s later reports with "ended", if {@code receiver} still takes them (a
   * loop that let go of the trial must not end it for the loop that took it over).
   */
  public void trialEnded(
      String namespace, String study, int trial, Consumer<TrialReport> receiver) {
    String key = key(namespace, study) + "#" + trial;
    if (trials.remove(key, receiver)) {
      ended.put(key, true);
    }
  }

  /**
   * Stops sending {@code trial}'s reports to {@code receiver} without ending the trial: its Job
   * runs on, and the loop that takes it over registers again (until then reports are answered
   * "retry").
   */
  public void release(String namespace, String study, int trial, Consumer<TrialReport> receiver) {
    trials.remove(key(namespace, study) + "#" + trial, receiver);
  }

  /** The token {@code study}'s reports must carry, or {@code null} when it is not registered. */
  public String token(String namespace, String study) {
    byte[] token = tokens.get(key(namespace, study));
    return token == null ? null : new String(token, StandardCharsets.UTF_8);
  }

  /** Whether a report for {@code trial} with {@code token} may be taken. */
  public Admission admit(String namespace, String study, int trial, String token) {
    byte[] expected = tokens.get(key(namespace, study));
    if (expected == null) {
      return Admission.UNKNOWN_STUDY;
    }
    if (token == null || !MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8))) {
      return Admission.UNAUTHORIZED;
    }
    String key = key(namespace, study) + "#" + trial;
    if (trials.containsKey(key)) {
      return Admission.ACCEPTED;
    }
    return ended.containsKey(key) ? Admission.TRIAL_ENDED : Admission.UNKNOWN_TRIAL;
  }

  /** The end of the {@code metric-reports} stream: hands a report to its trial. */
  @Incoming(MetricReportResource.CHANNEL)
  @Blocking
  public void deliver(TrialReport report) {
    Consumer<TrialReport> receiver =
        trials.get(key(report.namespace(), report.study()) + "#" + report.trial());
    if (receiver == null) {
      LOG.debugf(
          "report for %s/%s trial %d arrived after the trial ended; dropped",
          report.namespace(), report.study(), report.trial());
      return;
    }
    receiver.accept(report);
  }

  private static String key(String namespace, String study) {
    return namespace + "/" + study;
  }
}
