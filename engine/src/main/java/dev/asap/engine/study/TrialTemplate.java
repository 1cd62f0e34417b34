package dev.asap.engine.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * How to run one trial: a Kubernetes PodTemplateSpec kept as a JSON tree (the engine imports no
 * Kubernetes type; the operator binds it to one), and how its metrics are read.
 *
 * <p>Strings in the template may contain {@code ${trial.parameters.NAME}}, which the executor
 * replaces with the trial's value of parameter NAME.
 *
 * @param template the PodTemplateSpec: {@code metadata} and {@code spec}, with at least one
 *     container
 * @param primaryContainer the name of the container that runs the trial, or {@code null} for the
 *     first one
 * @param metrics how the metrics are collected
 */
public record TrialTemplate(
    ObjectNode template, String primaryContainer, MetricsCollector metrics) {

  /** The container that runs the trial: the one named {@link #primaryContainer}, or the first. */
  public JsonNode container() {
    JsonNode containers = template.path("spec").path("containers");
    if (primaryContainer != null) {
      for (JsonNode c : containers) {
        if (primaryContainer.equals(c.path("name").asText())) {
          return c;
        }
      }
    }
    return containers.path(0);
  }

  /** The container's {@code command} followed by its {@code args}, unsubstituted. */
  public List<String> commandLine() {
    var line = new java.util.ArrayList<String>();
    container().path("command").forEach(n -> line.add(n.asText()));
    container().path("args").forEach(n -> line.add(n.asText()));
    return line;
  }
}
