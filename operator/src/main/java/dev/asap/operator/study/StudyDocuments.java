package dev.asap.operator.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.engine.study.FieldError;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudyDocumentReader;
import dev.asap.engine.study.StudyValidationException;
import dev.asap.operator.api.HpoStudy;
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
    if (!errors.isEmpty()) {
      throw new StudyValidationException(List.copyOf(errors));
    }
    return new Study(
        study.name(), resource.getMetadata().getNamespace(), study.spec(), Path.of("."));
  }
}
