package dev.asap.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;

/**
 * The study, field for field as in a local study file: the engine reads it (through {@link
 * dev.asap.operator.study.StudyDocuments}) and checks what the CRD schema cannot express. Optional
 * fields left out take the engine's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HpoStudySpec {
  @JsonPropertyDescription("Seeds the optimizers, so that a study can be repeated. Default 0.")
  public Long seed;

  @Required
  @JsonPropertyDescription("The metric to optimize and in which direction.")
  public Objective objective;

  @Required
  @JsonPropertyDescription("The hyperparameters and their ranges.")
  public SearchSpace searchSpace;

  @JsonPropertyDescription("When the study stops and how many trials run at once.")
  public Budget budget;

  @JsonPropertyDescription("The optimizers that propose each round.")
  public Pool pool;

  @JsonPropertyDescription("What picks among the pool's proposals: the bandit or the LLM.")
  public Integrator integrator;

  @JsonPropertyDescription("Computing the next proposal while trials run, from a predicted result.")
  public Speculation speculation;

  @Required
  @JsonPropertyDescription("How one trial runs: a pod template that becomes a Job.")
  public TrialTemplate trialTemplate;

  /** The objective: which reported metric the study optimizes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Objective {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("The name of the metric the trials report, e.g. val_accuracy.")
    public String metric;

    @Required
    @JsonPropertyDescription("minimize or maximize.")
    public Direction direction;

    @JsonPropertyDescription("Stop the study once a trial reaches this value.")
    public Double target;

    @JsonPropertyDescription("Other metrics to record with each trial.")
    public List<String> additionalMetrics;
  }

  /** The direction of optimization. */
  public enum Direction {
    @JsonProperty("minimize")
    MINIMIZE,
    @JsonProperty("maximize")
    MAXIMIZE
  }

  /** The search space. */
  public static class SearchSpace {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("One entry per hyperparameter; names are unique.")
    public List<Parameter> parameters;
  }

  /** One hyperparameter. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.type == 'categorical' || (has(self.min) && has(self.max))",
      message = "float and int parameters need min and max")
  public static class Parameter {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("The name trials see, in ${trial.parameters.NAME}.")
    public String name;

    @Required
    @JsonPropertyDescription("float, int or categorical.")
    public ParameterType type;

    @SchemaFrom(type = Double.class)
    @JsonPropertyDescription("The lower bound (float and int).")
    public Number min;

    @SchemaFrom(type = Double.class)
    @JsonPropertyDescription("The upper bound (float and int).")
    public Number max;

    @SchemaFrom(type = Double.class)
    @JsonPropertyDescription("The spacing of an int parameter's values.")
    public Number step;

    @JsonPropertyDescription("Search on a log scale (bounds must be positive).")
    public Boolean log;

    @JsonPropertyDescription(
        "The choices of a categorical parameter: strings, numbers or booleans.")
    public List<JsonNode> values;
  }

  /** The kinds of hyperparameter. */
  public enum ParameterType {
    @JsonProperty("float")
    FLOAT,
    @JsonProperty("int")
    INT,
    @JsonProperty("categorical")
    CATEGORICAL
  }

  /** When the study stops, and its parallelism. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Budget {
    @Min(1)
    @JsonPropertyDescription("How many trials the study runs at most.")
    public Integer maxTrials;

    @Min(0)
    @JsonPropertyDescription("The study fails once more trials than this have failed.")
    public Integer maxFailedTrials;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("How many trials run at once.")
    public Integer parallelism;

    @JsonPropertyDescription("The study's wall-clock limit, e.g. 6h or 90m.")
    public String timeout;

    @JsonPropertyDescription("One trial's limit; its Job's activeDeadlineSeconds.")
    public String trialTimeout;
  }

  /** The optimizer pool. */
  public static class Pool {
    @Size(min = 1)
    @JsonPropertyDescription("random, sobol, tpe, gp, cmaes, forest; each at most once.")
    public List<OptimizerName> optimizers;
  }

  /** The optimizers a pool can hold. */
  public enum OptimizerName {
    @JsonProperty("random")
    RANDOM,
    @JsonProperty("sobol")
    SOBOL,
    @JsonProperty("tpe")
    TPE,
    @JsonProperty("gp")
    GP,
    @JsonProperty("cmaes")
    CMAES,
    @JsonProperty("forest")
    FOREST
  }

  /** The integrator. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Integrator {
    @Required
    @JsonPropertyDescription("bandit or llm.")
    public IntegratorType type;

    @JsonPropertyDescription(
        "How to reach the LLM; by default the operator's gateway sidecar on localhost.")
    public Llm llm;
  }

  /** The integrators. */
  public enum IntegratorType {
    @JsonProperty("bandit")
    BANDIT,
    @JsonProperty("llm")
    LLM
  }

  /** How to reach the LLM. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Llm {
    @JsonPropertyDescription("An OpenAI-compatible base URL (http or https).")
    public String endpoint;

    @JsonPropertyDescription("The model name passed to the gateway.")
    public String model;

    @JsonPropertyDescription("How long one answer may take before the bandit decides, e.g. 30s.")
    public String timeout;
  }

  /** Speculation settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Speculation {
    @JsonPropertyDescription("Whether to speculate. Default true when the block is present.")
    public Boolean enabled;

    @JsonPropertyDescription(
        "The accept threshold on the relative error: a number from 0 to 100, or auto for the"
            + " Self-Tuner's value.")
    public JsonNode tau;

    @JsonPropertyDescription("The floor of the relative error's denominator. Default 1e-6.")
    public Double epsilon;
  }

  /** How a trial runs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TrialTemplate {
    @JsonPropertyDescription("The container that runs the trial; by default the first one.")
    public String primaryContainer;

    @JsonPropertyDescription("How metrics reach the operator: push (the SDK) or stdout (the log).")
    public Metrics metrics;

    @Min(0)
    @JsonPropertyDescription("The trial Job's retries. Default 0: a failed trial is not rerun.")
    public Integer backoffLimit;

    @Min(0)
    @JsonPropertyDescription("How long an ended trial's Job stays before clean-up. Default 3600.")
    public Integer ttlSecondsAfterFinished;

    @Required
    @JsonPropertyDescription(
        "The trial pod. Strings may hold ${trial.parameters.NAME}; parameters also come as"
            + " ASAP_PARAM_NAME environment variables.")
    public PodTemplateSpec template;
  }

  /** The metrics collector. */
  public static class Metrics {
    @JsonPropertyDescription("push or stdout.")
    public Collector collector;
  }

  /** The ways metrics can be collected. */
  public enum Collector {
    @JsonProperty("stdout")
    STDOUT,
    @JsonProperty("push")
    PUSH
  }
}
