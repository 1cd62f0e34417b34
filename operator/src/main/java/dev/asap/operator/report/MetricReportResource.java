package dev.asap.operator.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asap.engine.execution.MetricLineParser;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.api.HpoTrialStatus;
import dev.asap.operator.config.Leadership;
import dev.asap.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Where trial pods post their metrics ({@code asap.report(...)} in the Python SDK): {@code POST
 * /api/v1alpha1/namespaces/NS/hpostudies/STUDY/trials/N/metrics} with the study's token as a bearer
 * token and {@code {"metrics": {"name": value}, "step": 3}} as body. Accepted reports go onto the
 * {@value #CHANNEL} stream; refusals are answered and counted.
 */
@Path("/api/v1alpha1/namespaces/{namespace}/hpostudies/{study}/trials/{trial}/metrics")
public class MetricReportResource {
  /** The stream reports travel on, from here to the study. */
  public static final String CHANNEL = "metric-reports";

  private static final String BEARER = "Bearer ";

  /** The namespace tag of refusals made before any study was identified. */
  static final String UNKNOWN = "";

  private static final int MOST_METRICS = 256;
  private static final long DELIVERY_TIMEOUT_SECONDS = 10;

  @Inject ReportRouter router;
  @Inject KubernetesClient client;
  @Inject Leadership leadership;
  @Inject OperatorMetrics metrics;
  @Inject ObjectMapper json;

  @Inject
  @Channel(CHANNEL)
  Emitter<TrialReport> reports;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response report(
      @PathParam("namespace") String namespace,
      @PathParam("study") String study,
      @PathParam("trial") String trialText,
      @HeaderParam("Authorization") String authorization,
      String body) {
    int trial;
    try {
      if (!trialText.matches("0|[1-9][0-9]{0,9}")) {
        throw new NumberFormatException(trialText);
      }
      trial = Integer.parseInt(trialText);
    } catch (NumberFormatException e) {
      return refuse(
          UNKNOWN,
          "bad_request",
          400,
          "trial must be a whole number from 0 to " + Integer.MAX_VALUE + ", got " + trialText);
    }
    if (!leadership.leading()) {
      // Only the leader runs studies; the SDK retries a 503, and the Service sends it to the
      // leader (whose pod alone carries the leader label) once the label has moved.
      return refuse(UNKNOWN, "standby", 503, "this operator replica is a standby; retry");
    }
    String token =
        authorization != null && authorization.startsWith(BEARER)
            ? authorization.substring(BEARER.length()).trim()
            : null;
    switch (router.admit(namespace, study, trial, token)) {
      case UNKNOWN_STUDY:
        if (beingTakenOver(namespace, study, trial)) {
          return takeOverPending();
        }
        // Tagged with no namespace: anyone can name any, and each would make a new series.
        return refuse(UNKNOWN, "unknown_trial", 404, "no running study " + namespace + "/" + study);
      case UNAUTHORIZED:
        return refuse(
            namespace,
            "unauthorized",
            401,
            "missing or wrong token: send the study's token as 'Authorization: Bearer TOKEN'"
                + " (the pod's ASAP_REPORT_TOKEN)");
      case UNKNOWN_TRIAL:
        if (beingTakenOver(namespace, study, trial)) {
          return takeOverPending();
        }
        return refuse(
            namespace, "unknown_trial", 404, "study " + study + " has no running trial " + trial);
      case TRIAL_ENDED:
        return refuse(
            namespace, "trial_ended", 409, "trial " + trial + " of " + study + " has ended");
      case ACCEPTED:
      default:
        break;
    }
    TrialReport report;
    try {
      report = parse(namespace, study, trial, body);
    } catch (IllegalArgumentException e) {
      return refuse(namespace, "bad_request", 400, e.getMessage());
    }
    // Answer only once the trial holds the report: a pod exits right after a 202, and its Job's
    // completion must not overtake the report on the stream and end the trial without it.
    try {
      reports.send(report).toCompletableFuture().get(DELIVERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return refuse(namespace, "not_recorded", 503, "the report could not be recorded; retry");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refuse(namespace, "not_recorded", 503, "the report could not be recorded; retry");
    }
    metrics.reportReceived(namespace, "accepted");
    return Response.accepted(Map.of("accepted", report.metrics().size())).build();
  }

  private TrialReport parse(String namespace, String study, int trial, String body) {
    JsonNode root;
    try {
      root = json.readTree(body == null ? "" : body);
    } catch (Exception e) {
      throw new IllegalArgumentException("the body is not JSON: expected {\"metrics\": {...}}");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object with a metrics object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("metrics") && !field.equals("step")) {
        throw new IllegalArgumentException("unknown field " + field + "; allowed: metrics, step");
      }
    }
    JsonNode metricsNode = root.get("metrics");
    if (metricsNode == null || !metricsNode.isObject() || metricsNode.isEmpty()) {
      throw new IllegalArgumentException(
          "metrics must be a non-empty object of metric names to numbers");
    }
    if (metricsNode.size() > MOST_METRICS) {
      throw new IllegalArgumentException("metrics holds more than " + MOST_METRICS + " values");
    }
    var values = new LinkedHashMap<String, Double>();
    for (var it = metricsNode.fields(); it.hasNext(); ) {
      var e = it.next();
      String problem = MetricLineParser.unreportable(e.getKey());
      if (problem != null) {
        throw new IllegalArgumentException("metrics." + e.getKey() + ": " + problem);
      }
      values.put(e.getKey(), number(e.getKey(), e.getValue()));
    }
    Long step = null;
    JsonNode stepNode = root.get("step");
    if (stepNode != null && !stepNode.isNull()) {
      if (!stepNode.canConvertToExactIntegral() || stepNode.asLong() < 0) {
        throw new IllegalArgumentException(
            "step must be a whole number of 0 or more, got " + stepNode);
      }
      step = stepNode.asLong();
    }
    return new TrialReport(namespace, study, trial, values, step, Instant.now());
  }

  private static double number(String name, JsonNode value) {
    if (value.isNumber()) {
      double x = value.doubleValue();
      if (Double.isInfinite(x)) {
        throw new IllegalArgumentException(
            "metrics."
                + name
                + " is beyond what a double holds; send \"Infinity\" or \"-Infinity\" to"
                + " mean infinity");
      }
      return x;
    }
    if (value.isTextual()) {
      switch (value.textValue()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "metrics."
            + name
            + " must be a number or one of \"NaN\", \"Infinity\", \"-Infinity\", got "
            + value);
  }

  /**
   * Whether the trial's record says it runs although no loop here follows it yet: just after a
   * restart, a leader change or a spec change, before its loop takes it over. Its reports are then
   * answered "retry" rather than "unknown", which would end the trainer.
   */
  private boolean beingTakenOver(String namespace, String study, int trial) {
    try {
      HpoTrial record =
          client
              .resources(HpoTrial.class)
              .inNamespace(namespace)
              .withName(HpoTrial.name(study, trial))
              .get();
      return record != null
          && (record.getStatus() == null
              || HpoTrialStatus.RUNNING.equals(record.getStatus().phase));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Response takeOverPending() {
    return refuse(UNKNOWN, "not_recorded", 503, "the operator is taking this trial over; retry");
  }

  private Response refuse(String namespace, String outcome, int status, String message) {
    metrics.reportReceived(namespace, outcome);
    return Response.status(status).entity(Map.of("error", message)).build();
  }
}
