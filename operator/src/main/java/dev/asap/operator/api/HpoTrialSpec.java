package dev.asap.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** The decision a trial records: which configuration runs, proposed by whom, and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HpoTrialSpec {
  @Required
  @JsonPropertyDescription("The study's name.")
  public String study;

  @Required
  @Min(0)
  @JsonPropertyDescription("The trial's number in the study, from 0, in launch order.")
  public Integer number;

  @Required
  @JsonPropertyDescription("The configuration's values by parameter name.")
  public Map<String, JsonNode> parameters;

  @JsonPropertyDescription("The pool member whose proposal runs.")
  public String source;

  @JsonPropertyDescription("Whether the proposal was computed ahead, from a predicted result.")
  public Boolean speculative;

  @JsonPropertyDescription("The source's predicted loss for this configuration.")
  public Double predictedLoss;

  @JsonPropertyDescription("When the proposal was chosen (RFC 3339).")
  public String proposedAt;

  @JsonPropertyDescription("How the round chose it, as the engine records it.")
  public JsonNode selection;
}
