package dev.asap.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** What became of a trial. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HpoTrialStatus {
  /** The phases of a trial. */
  public static final String RUNNING = "Running";

  public static final String COMPLETED = "Completed";
  public static final String FAILED = "Failed";
  public static final String STOPPED = "Stopped";
  public static final String INTERRUPTED = "Interrupted";

  @JsonPropertyDescription("Running, Completed, Failed, Stopped or Interrupted.")
  public String phase;

  @JsonPropertyDescription("The Job that runs the trial.")
  public String jobName;

  @JsonPropertyDescription("When the Job was created (RFC 3339).")
  public String startedAt;

  @JsonPropertyDescription("When the trial ended (RFC 3339).")
  public String finishedAt;

  @JsonPropertyDescription("The objective's final value, for a completed trial.")
  public Double objective;

  @JsonPropertyDescription("The last reported value of each recorded metric.")
  public Map<String, Double> metrics;

  @JsonPropertyDescription("The last reported step.")
  public Long step;

  @JsonPropertyDescription("Why the trial failed or stopped.")
  public String reason;

  @JsonPropertyDescription(
      "The speculations made on this trial's result, as the engine's execution log keeps them;"
          + " the Self-Tuner reads them.")
  public List<JsonNode> speculations;
}
