package dev.asap.engine.study;

import static dev.asap.engine.study.FieldReader.child;
import static dev.asap.engine.study.FieldReader.index;
import static dev.asap.engine.study.FieldReader.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code spec.trialTemplate}. The PodTemplateSpec inside it is left free, as Kubernetes
 * defines it, except for what ASAP itself relies on: a non-empty list of named containers, and
 * placeholders that name declared parameters.
 */
final class TrialTemplateReader {
  static final List<String> COLLECTORS = List.of("stdout", "push");

  /** Settings of the trial's Job on a cluster: its retries and how long it stays once ended. */
  static final List<String> JOB_SETTINGS = List.of("backoffLimit", "ttlSecondsAfterFinished");

  private final FieldReader fields;

  TrialTemplateReader(FieldReader fields) {
    this.fields = fields;
  }

  /**
   * The trial template, or {@code null} when any part of it is wrong.
   *
   * @param parameterNames the parameters placeholders may name, or {@code null} when the search
   *     space could not be read (then only the placeholders' form is checked)
   */
  TrialTemplate read(ObjectNode spec, String specPath, Set<String> parameterNames) {
    String path = child(specPath, "trialTemplate");
    ObjectNode trialTemplate =
        fields.object(
            spec,
            specPath,
            "trialTemplate",
            "an object whose template is a Kubernetes PodTemplateSpec");
    if (trialTemplate == null) {
      return null;
    }
    fields.rejectUnknownFields(
        trialTemplate,
        path,
        List.of(
            "primaryContainer", "metrics", "template", JOB_SETTINGS.get(0), JOB_SETTINGS.get(1)));
    // Settings of the Job a trial runs as on a cluster; checked here so that a study file is valid
    // or not in the same way everywhere, and ignored by local runs.
    for (String setting : JOB_SETTINGS) {
      JsonNode node = fields.field(trialTemplate, path, setting, null);
      if (node != null) {
        fields.count(node, child(path, setting), 0);
      }
    }
    String primaryContainer = fields.string(trialTemplate, path, "primaryContainer", null);
    MetricsCollector metrics = metrics(trialTemplate, path);

    String templatePath = child(path, "template");
    ObjectNode template =
        fields.object(
            trialTemplate,
            path,
            "template",
            "a Kubernetes PodTemplateSpec with at least one container in spec.containers");
    List<String> containerNames = template == null ? null : containerNames(template, templatePath);
    if (primaryContainer != null
        && containerNames != null
        && !containerNames.contains(primaryContainer)) {
      fields.error(
          child(path, "primaryContainer"),
          quote(primaryContainer)
              + " names no container; containers: "
              + String.join(", ", containerNames));
      primaryContainer = null;
    }
    if (template != null) {
      checkPlaceholders(template, templatePath, parameterNames);
    }
    if (template == null || containerNames == null || metrics == null) {
      return null;
    }
    return new TrialTemplate(template.deepCopy(), primaryContainer, metrics);
  }

  private MetricsCollector metrics(ObjectNode trialTemplate, String path) {
    String metricsPath = child(path, "metrics");
    JsonNode node = fields.field(trialTemplate, path, "metrics", null);
    if (node == null) {
      return MetricsCollector.stdout();
    }
    ObjectNode metrics = fields.object(node, metricsPath);
    if (metrics == null) {
      return null;
    }
    fields.rejectUnknownFields(metrics, metricsPath, List.of("collector"));
    JsonNode collectorNode = fields.field(metrics, metricsPath, "collector", null);
    if (collectorNode == null) {
      return MetricsCollector.stdout();
    }
    String collector = fields.string(collectorNode, child(metricsPath, "collector"));
    if (collector == null) {
      return null;
    }
    if (!COLLECTORS.contains(collector)) {
      fields.error(
          child(metricsPath, "collector"),
          "unknown collector " + quote(collector) + "; allowed: " + String.join(", ", COLLECTORS));
      return null;
    }
    return new MetricsCollector(MetricsCollector.Kind.valueOf(collector.toUpperCase(Locale.ROOT)));
  }

  /** The names of the pod's containers, or {@code null} when the list is missing or wrong. */
  private List<String> containerNames(ObjectNode template, String templatePath) {
    String podPath = child(templatePath, "spec");
    ObjectNode pod =
        fields.object(
            template, templatePath, "spec", "a pod spec with at least one container in containers");
    if (pod == null) {
      return null;
    }
    String listPath = child(podPath, "containers");
    ArrayNode containers =
        fields.list(pod, podPath, "containers", "a non-empty list of containers, each with a name");
    if (containers == null) {
      return null;
    }
    if (containers.isEmpty()) {
      fields.error(listPath, "must hold at least one container");
      return null;
    }
    var names = new ArrayList<String>();
    boolean valid = true;
    for (int i = 0; i < containers.size(); i++) {
      String containerPath = index(listPath, i);
      ObjectNode container = fields.object(containers.get(i), containerPath);
      String name =
          container == null
              ? null
              : fields.string(container, containerPath, "name", "a name for the container");
      if (name != null && name.isEmpty()) {
        fields.error(child(containerPath, "name"), "must not be empty");
        name = null;
      }
      if (name != null && names.contains(name)) {
        fields.error(
            child(containerPath, "name"),
            "duplicate name "
                + quote(name)
                + "; containers["
                + names.indexOf(name)
                + "] already has it");
        name = null;
      }
      if (container != null) {
        checkProcessFields(container, containerPath);
      }
      valid &= name != null;
      names.add(name);
    }
    return valid ? names : null;
  }

  /**
   * Checks the container fields that become the trial's process, with the types the Kubernetes API
   * gives them: a trial whose command cannot be built would fail every time, so it is refused here.
   */
  private void checkProcessFields(ObjectNode container, String path) {
    for (String key : List.of("command", "args")) {
      ArrayNode list = fields.list(container, path, key, null);
      if (list != null) {
        for (int i = 0; i < list.size(); i++) {
          if (!list.get(i).isTextual()) {
            fields.error(
                index(child(path, key), i),
                "expected a string (quote numbers and booleans, as in \"5\"), got "
                    + FieldReader.describe(list.get(i)));
          }
        }
      }
    }
    fields.string(container, path, "workingDir", null);
    ArrayNode env = fields.list(container, path, "env", null);
    if (env == null) {
      return;
    }
    for (int i = 0; i < env.size(); i++) {
      String entryPath = index(child(path, "env"), i);
      ObjectNode entry = fields.object(env.get(i), entryPath);
      String name =
          entry == null ? null : fields.string(entry, entryPath, "name", "a variable name");
      if (name != null && (name.isEmpty() || name.contains("="))) {
        fields.error(
            child(entryPath, "name"),
            "must be a non-empty variable name without '=', got " + quote(name));
      }
      if (entry != null && entry.has("value")) {
        fields.string(entry, entryPath, "value", null);
      }
    }
  }

  /** Checks every string in the template, at any depth, with the scan that substitution uses. */
  private void checkPlaceholders(JsonNode node, String path, Set<String> parameterNames) {
    if (node.isTextual()) {
      for (ParameterPlaceholders.Part part : ParameterPlaceholders.scan(node.textValue())) {
        if (part instanceof ParameterPlaceholders.Malformed m) {
          fields.error(path, m.message());
        } else if (part instanceof ParameterPlaceholders.Reference r
            && parameterNames != null
            && !parameterNames.contains(r.name())) {
          String close = FieldReader.closest(r.name(), parameterNames);
          fields.error(
              path,
              r.placeholder()
                  + " names no parameter; "
                  + (close == null ? "" : "did you mean " + close + "? ")
                  + "parameters: "
                  + String.join(", ", parameterNames));
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        checkPlaceholders(e.getValue(), child(path, e.getKey()), parameterNames);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkPlaceholders(node.get(i), index(path, i), parameterNames);
      }
    }
  }
}
