package dev.asap.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a study stands. Everything here is derived from the study's HpoTrial records and the
 * engine's running state, so the operator can always rebuild it after a restart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HpoStudyStatus {
  @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Invalid.")
  public String phase;

  @JsonPropertyDescription("The generation of the spec this status reflects.")
  public Long observedGeneration;

  @JsonPropertyDescription("Ready, Invalid and Failed, Kubernetes-style.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Trial counts by phase.")
  public TrialCounts trials;

  @JsonPropertyDescription("The best completed trial.")
  public Best best;

  @JsonPropertyDescription("How speculations ended, by verdict, and the threshold in force.")
  public SpeculationFigures speculation;

  @JsonPropertyDescription("Where the study's time went, in seconds.")
  public WallClockFigures wallClock;

  @JsonPropertyDescription("How many trials each pool member's proposals started.")
  public Map<String, Long> sources;

  @JsonPropertyDescription("Why the study stopped, once it has.")
  public String stopReason;

  @JsonPropertyDescription(
      "A digest of the objective and search space the trials ran with; a spec that changes them"
          + " is refused.")
  public String fingerprint;

  /** Trial counts by phase. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TrialCounts {
    public int total;
    public int running;
    public int completed;
    public int failed;
    public int stopped;
  }

  /** The best trial so far. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Best {
    public Integer trial;
    public Double value;
    public Map<String, JsonNode> parameters;
  }

  /** Speculation outcomes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SpeculationFigures {
    public long accepted;
    public long rejected;
    public long stale;
    public long late;
    public long noValue;
  }

  /** The wall-clock breakdown, in seconds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class WallClockFigures {
    public double evaluationSeconds;
    public double serialOverheadSeconds;
    public double optimizerSeconds;
    public double llmSeconds;
    public double hiddenSeconds;
    public double wastedSeconds;
  }
}
