package dev.asap.operator.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asap.engine.study.FieldError;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudyValidationException;
import dev.asap.operator.StudyFixtures;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoStudySpec;
import java.net.URI;
import org.junit.jupiter.api.Test;

class StudyDocumentsTest {
  private static final String GATEWAY = "http://127.0.0.1:8470/v1";

  @Test
  void anLlmIntegratorWithoutEndpointReachesTheGatewaySidecar() {
    HpoStudy resource = StudyFixtures.gpuStudy("ns", "llm", 4, 0);
    resource.getSpec().integrator.type = HpoStudySpec.IntegratorType.LLM;

    Study study = StudyDocuments.toStudy(resource, GATEWAY);

    assertThat(study.spec().integrator().llm().endpoint()).isEqualTo(URI.create(GATEWAY));
    assertThat(study.name()).isEqualTo("llm");
    assertThat(study.namespace()).isEqualTo("ns");
  }

  @Test
  void anLlmIntegratorKeepsItsOwnEndpoint() {
    HpoStudy resource = StudyFixtures.gpuStudy("ns", "llm", 4, 0);
    resource.getSpec().integrator.type = HpoStudySpec.IntegratorType.LLM;
    resource.getSpec().integrator.llm = new HpoStudySpec.Llm();
    resource.getSpec().integrator.llm.endpoint = "http://vllm.models.svc:8000/v1";

    Study study = StudyDocuments.toStudy(resource, GATEWAY);

    assertThat(study.spec().integrator().llm().endpoint())
        .isEqualTo(URI.create("http://vllm.models.svc:8000/v1"));
  }

  @Test
  void aNameTooLongForItsJobsAndAnEngineErrorAreReportedTogether() {
    String name = "a".repeat(53);
    HpoStudy resource = StudyFixtures.gpuStudy("ns", name, 4, 0);
    resource.getSpec().budget.parallelism = 0;

    assertThatThrownBy(() -> StudyDocuments.toStudy(resource, GATEWAY))
        .isInstanceOfSatisfying(
            StudyValidationException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::path)
                    .containsExactly("metadata.name", "spec.budget.parallelism"));
  }

  @Test
  void aFiftyTwoCharacterNameIsAccepted() {
    HpoStudy resource = StudyFixtures.gpuStudy("ns", "b".repeat(52), 4, 0);

    assertThat(StudyDocuments.toStudy(resource, GATEWAY).name()).hasSize(52);
  }
}
