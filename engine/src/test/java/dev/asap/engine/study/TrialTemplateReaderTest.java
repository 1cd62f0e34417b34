package dev.asap.engine.study;

import static dev.asap.engine.study.StudyDocuments.FULL;
import static dev.asap.engine.study.StudyDocuments.MINIMAL;
import static dev.asap.engine.study.StudyDocuments.edit;
import static dev.asap.engine.study.StudyDocuments.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The rules of {@code spec.trialTemplate}: containers, metrics collector and placeholders. */
class TrialTemplateReaderTest {
  private static final Path BASE = StudyDocuments.BASE;

  private final StudyDocumentReader reader = new StudyDocumentReader();

  @Test
  void acceptsAnyFieldInsideThePodTemplate() {
    String document =
        edit(
            FULL,
            "            image: busybox\n",
            "            image: busybox\n            futureField: {anything: [1, 2]}\n");

    ObjectNode template = reader.read(document, BASE).spec().trialTemplate().template();

    assertThat(template.at("/spec/containers/1/futureField").toString())
        .isEqualTo("{\"anything\":[1,2]}");
  }

  @Test
  void rejectsACommandThatCannotBecomeAProcess() {
    String document =
        edit(
            edit(FULL, "command: [python3, train.py]", "command: python3"),
            "env: [{name: KERNEL, value: \"${trial.parameters.kernel}\"}]",
            "env: [{name: \"A=B\", value: x}]");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.template.spec.containers[0].command",
                "expected a list, got string \"python3\""),
            new FieldError(
                "spec.trialTemplate.template.spec.containers[0].env[0].name",
                "must be a non-empty variable name without '=', got \"A=B\""));
  }

  @Test
  void rejectsAnArgumentThatIsNotAString() {
    String document = edit(FULL, "args: [\"--C\",", "args: [5, \"--C\",");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.template.spec.containers[0].args[0]",
                "expected a string (quote numbers and booleans, as in \"5\"), got number 5"));
  }

  @Test
  void rejectsAnUnknownMetricsCollector() {
    assertThat(errorsOf(edit(FULL, "collector: push", "collector: prometheus")))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.metrics.collector",
                "unknown collector \"prometheus\"; allowed: stdout, push"));
  }

  @Test
  void requiresThePodTemplate() {
    String template = MINIMAL.substring(MINIMAL.indexOf("    template:"));

    assertThat(errorsOf(edit(MINIMAL, template, "    primaryContainer: main\n")))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.template",
                "required; a Kubernetes PodTemplateSpec with at least one container in"
                    + " spec.containers"));
  }

  @Test
  void requiresContainers() {
    assertThat(
            errorsOf(
                edit(MINIMAL, "containers:\n          - name: main\n", "restartPolicy: Never\n")))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.template.spec.containers",
                "required; a non-empty list of containers, each with a name"));
  }

  @Test
  void rejectsAnEmptyContainerList() {
    assertThat(errorsOf(edit(MINIMAL, "containers:\n          - name: main\n", "containers: []\n")))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.template.spec.containers", "must hold at least one container"));
  }

  @Test
  void requiresAContainerName() {
    assertThat(errorsOf(edit(FULL, "- name: sidecar\n            image", "- image")))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.template.spec.containers[1].name",
                "required; a name for the container"));
  }

  @Test
  void rejectsDuplicateContainerNames() {
    assertThat(errorsOf(edit(FULL, "name: sidecar", "name: trainer")))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.template.spec.containers[1].name",
                "duplicate name \"trainer\"; containers[0] already has it"));
  }

  @Test
  void rejectsAPrimaryContainerThatNamesNoContainer() {
    assertThat(errorsOf(edit(FULL, "primaryContainer: trainer", "primaryContainer: main")))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.primaryContainer",
                "\"main\" names no container; containers: trainer, sidecar"));
  }

  @Test
  void rejectsPlaceholdersThatNameNoParameterAnywhereInTheTemplate() {
    String document =
        edit(
            edit(
                edit(
                    edit(FULL, "[python3, train.py]", "[python3, \"${trial.parameters.script}\"]"),
                    "\"${trial.parameters.C}\"",
                    "\"${trial.parameters.c}\""),
                "workingDir: /work",
                "workingDir: /work/${trial.parameters.run}"),
            "${trial.parameters.kernel}",
            "${trial.parameters.kernal}");
    String containerPath = "spec.trialTemplate.template.spec.containers[0].";

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                containerPath + "command[1]",
                "${trial.parameters.script} names no parameter; parameters: C, degree, kernel"),
            new FieldError(
                containerPath + "args[1]",
                "${trial.parameters.c} names no parameter; did you mean C? parameters: C,"
                    + " degree, kernel"),
            new FieldError(
                containerPath + "workingDir",
                "${trial.parameters.run} names no parameter; parameters: C, degree, kernel"),
            new FieldError(
                containerPath + "env[0].value",
                "${trial.parameters.kernal} names no parameter; did you mean kernel? parameters:"
                    + " C, degree, kernel"));
  }

  @Test
  void rejectsAnUnterminatedPlaceholder() {
    assertThat(
            errorsOf(
                edit(
                    FULL,
                    "\"--degree=${trial.parameters.degree}\"",
                    "\"--degree=${trial.parameters.degree\"")))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.template.spec.containers[0].args[2]",
                "unterminated placeholder \"${trial.parameters.degree\"; write"
                    + " ${trial.parameters.NAME} with its '}'"));
  }

  @Test
  void rejectsAMalformedPlaceholder() {
    assertThat(errorsOf(edit(FULL, "${trial.parameters.kernel}", "${trial.parameter.kernel}")))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.template.spec.containers[0].env[0].value",
                "malformed placeholder \"${trial.parameter.kernel}\"; write"
                    + " ${trial.parameters.NAME}, where NAME is a parameter's name"));
  }

  @Test
  void acceptsTheJobSettingsOfACluster() {
    String document =
        edit(
            FULL,
            "    primaryContainer: trainer\n",
            "    primaryContainer: trainer\n    backoffLimit: 0\n    ttlSecondsAfterFinished: 600\n");

    assertThat(reader.read(document, BASE).spec().trialTemplate().primaryContainer())
        .isEqualTo("trainer");
  }

  @Test
  void rejectsJobSettingsThatAreNotNonNegativeIntegers() {
    String document =
        edit(
            FULL,
            "    primaryContainer: trainer\n",
            "    primaryContainer: trainer\n    backoffLimit: -1\n"
                + "    ttlSecondsAfterFinished: \"x\"\n");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError("spec.trialTemplate.backoffLimit", "must be at least 0, got -1"),
            new FieldError(
                "spec.trialTemplate.ttlSecondsAfterFinished",
                "expected an integer, got string \"x\""));
  }

  @Test
  void rejectsABackoffLimitThatIsNotAnInteger() {
    String document =
        edit(
            FULL,
            "    primaryContainer: trainer\n",
            "    primaryContainer: trainer\n    backoffLimit: \"x\"\n");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.backoffLimit", "expected an integer, got string \"x\""));
  }

  @Test
  void rejectsAnUnknownFieldNamingTheAllowedOnes() {
    String document =
        edit(
            FULL,
            "    primaryContainer: trainer\n",
            "    primaryContainer: trainer\n    nodeSelector: {}\n");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.trialTemplate.nodeSelector",
                "unknown field; allowed: primaryContainer, metrics, template, backoffLimit,"
                    + " ttlSecondsAfterFinished"));
  }
}
