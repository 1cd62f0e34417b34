package dev.asap.operator.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.engine.study.FieldError;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudyDocumentReader;
import dev.asap.engine.study.StudyValidationException;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.trial.TrialJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an HpoStudy resource into the engine's study, through the same reader as a local study
 * file, so that a study is valid or not, with the same messages, on a cluster and on a laptop.
 */
public final class StudyDocuments {
  /**
   * The longest study name: its trials' Jobs are named {@code <study>-t<number>} and a Job's name
   * becomes a label value on its pods, which Kubernetes limits to 63 characters.
   */
  static final int LONGEST_NAME = 52;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The most trials one study runs at once on a cluster (as the CRD's schema says). */
  static final int MOST_PARALLEL = 1000;

  /** Parameters whose names give the trial pod the same ASAP_PARAM_ variable. */
  private static void environmentClashes(Study study, List<FieldError> errors) {
    var first = new java.util.HashMap<String, Integer>();
    var parameters = study.spec().searchSpace().parameters();
    for (int i = 0; i < parameters.size(); i++) {
      String name = parameters.get(i).name();
      String variable = TrialJob.parameterVariable(name);
      Integer earlier = first.putIfAbsent(variable, i);
      if (earlier != null) {
        errors.add(
            new FieldError(
                "spec.searchSpace.parameters[" + i + "].name",
                "'"
                    + name
                    + "' and '"
                    + parameters.get(earlier).name()
                    + "' (parameters["
                    + earlier
                    + "]) both become the trial's environment variable "
                    + variable
                    + "; rename one"));
      }
    }
  }

  private StudyDocuments() {}

  /**
   * The engine's study for {@code resource}. An LLM integrator without an endpoint of its own gets
   * {@code gatewayEndpoint}, the operator's gateway sidecar.
   *
   * @throws StudyValidationException naming every field that is wrong
   */
  public static Study toStudy(HpoStudy resource, String gatewayEndpoint) {
    var errors = new ArrayList<FieldError>();
    String name = resource.getMetadata().getName();
    if (name.length() > LONGEST_NAME) {
      errors.add(
          new FieldError(
              "metadata.name",
              "must be at most "
                  + LONGEST_NAME
                  + " characters (trial Jobs are named <study>-t<number>), got "
                  + name.length()));
    }
    ObjectNode document = JSON.createObjectNode();
    document.put("apiVersion", HpoStudy.GROUP + "/" + HpoStudy.VERSION);
    document.put("kind", "HpoStudy");
    document.putObject("metadata").put("name", name);
    ObjectNode spec =
        resource.getSpec() == null ? JSON.createObjectNode() : JSON.valueToTree(resource.getSpec());
    document.set("spec", spec);
    if ("llm".equals(spec.path("integrator").path("type").asText())
        && !spec.path("integrator").path("llm").has("endpoint")) {
      ObjectNode integrator = (ObjectNode) spec.get("integrator");
      ObjectNode llm =
          integrator.get("llm") instanceof ObjectNode o ? o : integrator.putObject("llm");
      llm.put("endpoint", gatewayEndpoint);
    }
    Study study = null;
    try {
      study = new StudyDocumentReader().read(document.toString(), Path.of("."));
    } catch (StudyValidationException e) {
      errors.addAll(e.errors());
    }
    if (study != null) {
      environmentClashes(study, errors);
      if (study.spec().budget().parallelism() > MOST_PARALLEL) {
        errors.add(
            new FieldError(
                "spec.budget.parallelism",
                "must be at most "
                    + MOST_PARALLEL
                    + " on a cluster, got "
                    + study.spec().budget().parallelism()));
      }
    }
    if (!errors.isEmpty()) {
      throw new StudyValidationException(List.copyOf(errors));
    }
    return new Study(
        study.name(), resource.getMetadata().getNamespace(), study.spec(), Path.of("."));
  }
}
