package dev.asap.engine.study;

import static dev.asap.engine.study.FieldReader.child;
import static dev.asap.engine.study.FieldReader.describe;
import static dev.asap.engine.study.FieldReader.index;
import static dev.asap.engine.study.FieldReader.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.engine.execution.MetricLineParser;
import dev.asap.engine.space.SearchSpace;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code spec} of a study document: the objective, the budget and the pool here, the
 * search space and the trial template through their own readers. The defaults it applies are listed
 * on {@link StudyDocumentReader}.
 */
final class StudySpecReader {
  private static final List<String> SPEC_FIELDS =
      List.of(
          "seed",
          "objective",
          "searchSpace",
          "budget",
          "pool",
          "integrator",
          "speculation",
          "trialTemplate");
  private static final List<String> DIRECTIONS =
      Arrays.stream(Direction.values()).map(Direction::word).toList();
  private static final String DIRECTIONS_TEXT = String.join(", ", DIRECTIONS);

  private static final String AUTO = "auto";

  /** The pool members whose surrogate models can predict a running trial's value. */
  private static final List<String> SURROGATES = List.of("gp", "forest");

  /** The largest accept threshold a study may set: an error of 100 times the value's size. */
  static final int LARGEST_TAU = 100;

  private final FieldReader fields;

  StudySpecReader(FieldReader fields) {
    this.fields = fields;
  }

  /** The spec, or {@code null} when any part of it is wrong. */
  StudySpec read(ObjectNode spec) {
    String path = "spec";
    fields.rejectUnknownFields(spec, path, SPEC_FIELDS);
    JsonNode seedNode = fields.field(spec, path, "seed", null);
    Long seed = seedNode == null ? Long.valueOf(0) : fields.integer(seedNode, child(path, "seed"));
    Objective objective = objective(spec, path);
    var searchSpaceReader = new SearchSpaceReader(fields);
    SearchSpace searchSpace = searchSpaceReader.read(spec, path);
    Budget budget = budget(spec, path);
    List<String> optimizers = optimizers(spec, path);
    IntegratorSpec integrator = integrator(spec, path);
    SpeculationSpec speculation = speculation(spec, path);
    TrialTemplate trialTemplate =
        new TrialTemplateReader(fields).read(spec, path, searchSpaceReader.declaredNames());
    if (speculation != null
        && speculation.enabled()
        && optimizers != null
        && optimizers.stream().noneMatch(SURROGATES::contains)) {
      fields.error(
          child(path, "speculation"),
          "predicts running trials with the pool's surrogate models, and this pool has none; add"
              + " one of "
              + String.join(", ", SURROGATES)
              + " to pool.optimizers, or remove the speculation block");
      speculation = null;
    }
    if (seed == null
        || objective == null
        || searchSpace == null
        || budget == null
        || optimizers == null
        || integrator == null
        || speculation == null
        || trialTemplate == null) {
      return null;
    }
    return new StudySpec(
        objective, searchSpace, budget, optimizers, integrator, trialTemplate, seed, speculation);
  }

  private Objective objective(ObjectNode spec, String specPath) {
    String path = child(specPath, "objective");
    ObjectNode objective =
        fields.object(
            spec,
            specPath,
            "objective",
            "an object with a metric and a direction (" + DIRECTIONS_TEXT + ")");
    if (objective == null) {
      return null;
    }
    fields.rejectUnknownFields(
        objective, path, List.of("metric", "direction", "target", "additionalMetrics"));
    String metric =
        fields.string(
            objective, path, "metric", "the name of a metric the trials report, such as loss");
    if (metric != null && metric.isBlank()) {
      fields.error(child(path, "metric"), "must not be empty");
      metric = null;
    } else if (metric != null && MetricLineParser.unreportable(metric) != null) {
      fields.error(child(path, "metric"), MetricLineParser.unreportable(metric));
      metric = null;
    }
    String direction = fields.string(objective, path, "direction", "allowed: " + DIRECTIONS_TEXT);
    if (direction != null && !DIRECTIONS.contains(direction)) {
      fields.error(
          child(path, "direction"),
          "unknown direction " + quote(direction) + "; allowed: " + DIRECTIONS_TEXT);
      direction = null;
    }
    JsonNode targetNode = fields.field(objective, path, "target", null);
    Double target = targetNode == null ? null : fields.number(targetNode, child(path, "target"));
    List<String> additional = additionalMetrics(objective, path, metric);
    if (metric == null
        || direction == null
        || (targetNode != null && target == null)
        || additional == null) {
      return null;
    }
    return new Objective(
        metric, Direction.valueOf(direction.toUpperCase(Locale.ROOT)), target, additional);
  }

  private List<String> additionalMetrics(ObjectNode objective, String path, String metric) {
    String listPath = child(path, "additionalMetrics");
    ArrayNode list = fields.list(objective, path, "additionalMetrics", null);
    if (list == null) {
      return fields.field(objective, path, "additionalMetrics", null) == null ? List.of() : null;
    }
    var names = new ArrayList<String>();
    boolean valid = true;
    for (int i = 0; i < list.size(); i++) {
      String elementPath = index(listPath, i);
      String name = fields.string(list.get(i), elementPath);
      if (name != null && MetricLineParser.unreportable(name) != null) {
        fields.error(elementPath, MetricLineParser.unreportable(name));
        name = null;
      } else if (name != null && (name.equals(metric) || names.contains(name))) {
        fields.error(
            elementPath,
            quote(name)
                + " is already recorded; each metric may appear once, "
                + "and the objective's metric is always recorded");
        name = null;
      }
      valid &= name != null;
      names.add(name);
    }
    return valid ? names : null;
  }

  private Budget budget(ObjectNode spec, String specPath) {
    String path = child(specPath, "budget");
    ObjectNode budget =
        fields.object(spec, specPath, "budget", "an object with maxTrials, at least 1");
    if (budget == null) {
      return null;
    }
    fields.rejectUnknownFields(
        budget,
        path,
        List.of("maxTrials", "maxFailedTrials", "parallelism", "timeout", "trialTimeout"));
    JsonNode maxTrialsNode = fields.field(budget, path, "maxTrials", "an integer of at least 1");
    Integer maxTrials =
        maxTrialsNode == null ? null : fields.count(maxTrialsNode, child(path, "maxTrials"), 1);
    JsonNode maxFailedNode = fields.field(budget, path, "maxFailedTrials", null);
    Integer maxFailed =
        maxFailedNode == null
            ? (maxTrials == null ? null : Math.max(3, maxTrials / 5))
            : fields.count(maxFailedNode, child(path, "maxFailedTrials"), 0);
    JsonNode parallelismNode = fields.field(budget, path, "parallelism", null);
    Integer parallelism =
        parallelismNode == null
            ? Integer.valueOf(1)
            : fields.count(parallelismNode, child(path, "parallelism"), 1);
    JsonNode timeoutNode = fields.field(budget, path, "timeout", null);
    Duration timeout =
        timeoutNode == null ? null : fields.duration(timeoutNode, child(path, "timeout"));
    JsonNode trialTimeoutNode = fields.field(budget, path, "trialTimeout", null);
    Duration trialTimeout =
        trialTimeoutNode == null
            ? null
            : fields.duration(trialTimeoutNode, child(path, "trialTimeout"));
    if (maxTrials == null || maxFailed == null || parallelism == null) {
      return null;
    }
    return new Budget(maxTrials, maxFailed, parallelism, timeout, trialTimeout);
  }

  private List<String> optimizers(ObjectNode spec, String specPath) {
    String path = child(specPath, "pool");
    JsonNode poolNode = fields.field(spec, specPath, "pool", null);
    if (poolNode == null) {
      return PoolMembers.OPTIMIZERS;
    }
    ObjectNode pool = fields.object(poolNode, path);
    if (pool == null) {
      return null;
    }
    fields.rejectUnknownFields(pool, path, List.of("optimizers"));
    String allowed = "allowed: " + String.join(", ", PoolMembers.OPTIMIZERS);
    JsonNode listNode = fields.field(pool, path, "optimizers", null);
    if (listNode == null) {
      return PoolMembers.OPTIMIZERS;
    }
    String listPath = child(path, "optimizers");
    ArrayNode list = fields.list(listNode, listPath);
    if (list == null) {
      return null;
    }
    if (list.isEmpty()) {
      fields.error(listPath, "must name at least one optimizer; " + allowed);
      return null;
    }
    var names = new ArrayList<String>();
    boolean valid = true;
    for (int i = 0; i < list.size(); i++) {
      String elementPath = index(listPath, i);
      String name = fields.string(list.get(i), elementPath);
      if (name != null && !PoolMembers.OPTIMIZERS.contains(name)) {
        fields.error(elementPath, "unknown optimizer " + quote(name) + "; " + allowed);
        name = null;
      } else if (name != null && names.contains(name)) {
        fields.error(
            elementPath,
            "duplicate optimizer "
                + quote(name)
                + "; optimizers["
                + names.indexOf(name)
                + "] already names it, and each may appear once");
        name = null;
      }
      valid &= name != null;
      names.add(name);
    }
    return valid ? names : null;
  }

  private IntegratorSpec integrator(ObjectNode spec, String specPath) {
    String path = child(specPath, "integrator");
    JsonNode integratorNode = fields.field(spec, specPath, "integrator", null);
    if (integratorNode == null) {
      return IntegratorSpec.bandit();
    }
    ObjectNode integrator = fields.object(integratorNode, path);
    if (integrator == null) {
      return null;
    }
    fields.rejectUnknownFields(integrator, path, List.of("type", "llm"));
    JsonNode typeNode = fields.field(integrator, path, "type", null);
    String type =
        typeNode == null
            ? PoolMembers.INTEGRATORS.get(0)
            : fields.string(typeNode, child(path, "type"));
    if (type != null && !PoolMembers.INTEGRATORS.contains(type)) {
      fields.error(
          child(path, "type"),
          "unknown integrator "
              + quote(type)
              + "; allowed: "
              + String.join(", ", PoolMembers.INTEGRATORS));
      return null;
    }
    JsonNode llmNode = fields.field(integrator, path, "llm", null);
    if (type == null) {
      return null;
    }
    if (!type.equals(PoolMembers.LLM)) {
      if (llmNode != null) {
        fields.error(child(path, "llm"), "only for type llm; this integrator is " + quote(type));
        return null;
      }
      return new IntegratorSpec(type, null);
    }
    IntegratorSpec.Llm llm =
        llmNode == null ? IntegratorSpec.Llm.defaults() : llm(llmNode, child(path, "llm"));
    return llm == null ? null : IntegratorSpec.llm(llm);
  }

  /**
   * The {@code speculation} block: {@code enabled} (default true once the block is there), {@code
   * tau} (a number from 0 to {@link #LARGEST_TAU}, or {@code auto}, the default) and {@code
   * epsilon} (a positive number). Without the block there is no speculation.
   */
  private SpeculationSpec speculation(ObjectNode spec, String specPath) {
    String path = child(specPath, "speculation");
    JsonNode node = fields.field(spec, specPath, "speculation", null);
    if (node == null) {
      return SpeculationSpec.off();
    }
    ObjectNode speculation = fields.object(node, path);
    if (speculation == null) {
      return null;
    }
    fields.rejectUnknownFields(speculation, path, List.of("enabled", "tau", "epsilon"));
    JsonNode enabledNode = fields.field(speculation, path, "enabled", null);
    Boolean enabled =
        enabledNode == null ? Boolean.TRUE : fields.bool(enabledNode, child(path, "enabled"));
    boolean valid = enabled != null;
    Double tau = null;
    JsonNode tauNode = fields.field(speculation, path, "tau", null);
    if (tauNode != null && !(tauNode.isTextual() && tauNode.textValue().equals(AUTO))) {
      if (!tauNode.isNumber()) {
        fields.error(
            child(path, "tau"),
            "expected a number from 0 to "
                + LARGEST_TAU
                + " or \"auto\", got "
                + describe(tauNode));
        valid = false;
      } else {
        tau = tauNode.doubleValue();
        if (!(tau >= 0 && tau <= LARGEST_TAU)) {
          fields.error(
              child(path, "tau"),
              "must be from 0 to "
                  + LARGEST_TAU
                  + " (the largest relative error accepted; 0 recomputes unless a prediction is"
                  + " exact), or \"auto\" for the Self-Tuner's value; got "
                  + tauNode.asText());
          valid = false;
        }
      }
    }
    double epsilon = SpeculationSpec.DEFAULT_EPSILON;
    JsonNode epsilonNode = fields.field(speculation, path, "epsilon", null);
    if (epsilonNode != null) {
      Double e = fields.number(epsilonNode, child(path, "epsilon"));
      if (e == null) {
        valid = false;
      } else if (!(e > 0) || !Double.isFinite(e)) {
        fields.error(
            child(path, "epsilon"),
            "must be a positive number (the smallest scale a relative error divides by); got "
                + epsilonNode.asText());
        valid = false;
      } else {
        epsilon = e;
      }
    }
    return valid ? new SpeculationSpec(enabled, tau, epsilon) : null;
  }

  private IntegratorSpec.Llm llm(JsonNode node, String path) {
    ObjectNode llm = fields.object(node, path);
    if (llm == null) {
      return null;
    }
    fields.rejectUnknownFields(llm, path, List.of("endpoint", "model", "timeout"));
    JsonNode endpointNode = fields.field(llm, path, "endpoint", null);
    URI endpoint =
        endpointNode == null
            ? IntegratorSpec.Llm.DEFAULT_ENDPOINT
            : endpoint(endpointNode, child(path, "endpoint"));
    JsonNode modelNode = fields.field(llm, path, "model", null);
    String model =
        modelNode == null
            ? IntegratorSpec.Llm.DEFAULT_MODEL
            : fields.string(modelNode, child(path, "model"));
    if (model != null && model.isBlank()) {
      fields.error(child(path, "model"), "must not be empty");
      model = null;
    }
    JsonNode timeoutNode = fields.field(llm, path, "timeout", null);
    Duration timeout =
        timeoutNode == null
            ? IntegratorSpec.Llm.DEFAULT_TIMEOUT
            : fields.duration(timeoutNode, child(path, "timeout"));
    if (endpoint == null || model == null || timeout == null) {
      return null;
    }
    return new IntegratorSpec.Llm(endpoint, model, timeout);
  }

  /**
   * An absolute http or https URL with a host, a valid port and no credentials; a trailing slash is
   * dropped.
   */
  private URI endpoint(JsonNode node, String path) {
    String text = fields.string(node, path);
    if (text == null) {
      return null;
    }
    String expected =
        "expected an http or https URL such as " + IntegratorSpec.Llm.DEFAULT_ENDPOINT;
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      fields.error(path, expected + ", got " + quote(text));
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      fields.error(path, expected + ", got " + quote(text));
      return null;
    }
    if (uri.getRawUserInfo() != null) {
      // Not echoed: the text holds a password.
      fields.error(
          path,
          "must not carry a user name or password: credentials do not belong in a study file");
      return null;
    }
    if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
      fields.error(path, "port " + uri.getPort() + " is out of range; ports are 1..65535");
      return null;
    }
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }
}
