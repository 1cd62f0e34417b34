package dev.asap.engine.execution.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.study.ParameterPlaceholders;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables a local trial gets on top of the study process's own environment (see {@link
 * LocalProcessExecutor} for the list).
 *
 * @param variables the names and values to set, later ones winning over the inherited ones
 * @param skipped the names of the container's {@code valueFrom} entries, which only a cluster can
 *     resolve
 */
record TrialEnvironment(Map<String, String> variables, List<String> skipped) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The environment of {@code launch}'s trial.
   *
   * @throws IllegalArgumentException when an entry has no name or its value names an unknown
   *     parameter
   */
  static TrialEnvironment of(TrialLaunch launch, JsonNode container) {
    Configuration configuration = launch.configuration();
    var variables = new LinkedHashMap<String, String>();
    var skipped = new ArrayList<String>();
    for (JsonNode entry : container.path("env")) {
      String name = entry.path("name").asText();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("an env entry of the trial container has no name");
      }
      if (entry.has("valueFrom")) {
        skipped.add(name);
      } else {
        // As on a cluster, an entry without a value sets the variable to the empty string.
        variables.put(
            name, ParameterPlaceholders.substitute(entry.path("value").asText(""), configuration));
      }
    }
    variables.put("ASAP_STUDY", launch.study());
    variables.put("ASAP_TRIAL", Integer.toString(launch.number()));
    variables.put("ASAP_TRIAL_PARAMETERS", json(configuration.values()));
    configuration
        .values()
        .forEach(
            (name, value) ->
                variables.put(variableName(name), ParameterPlaceholders.render(value)));
    return new TrialEnvironment(variables, skipped);
  }

  /**
   * {@code ASAP_PARAM_} and the parameter's name upper-cased, other characters than A-Z, 0-9 and _
   * as _.
   */
  static String variableName(String parameter) {
    return "ASAP_PARAM_" + parameter.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
  }

  private static String json(Map<String, Object> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      // Parameter values are strings, numbers and booleans, which always serialize.
      throw new UncheckedIOException(e);
    }
  }
}
