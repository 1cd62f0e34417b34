package dev.asap.engine.study;

import static dev.asap.engine.study.StudyDocuments.FULL;
import static dev.asap.engine.study.StudyDocuments.MINIMAL;
import static dev.asap.engine.study.StudyDocuments.edit;
import static dev.asap.engine.study.StudyDocuments.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading whole study documents: every field, the defaults, files, and the document-level rules.
 */
class StudyDocumentReaderTest {
  private static final Path BASE = StudyDocuments.BASE;

  private final StudyDocumentReader reader = new StudyDocumentReader();

  @Test
  void readsEveryFieldOfAFullDocument() throws Exception {
    Study study = reader.read(FULL, BASE);

    assertThat(study.name()).isEqualTo("digits-svm");
    assertThat(study.namespace()).isEqualTo("default");
    assertThat(study.baseDir()).isEqualTo(BASE);
    StudySpec spec = study.spec();
    assertThat(spec.seed()).isEqualTo(42L);
    assertThat(spec.objective())
        .isEqualTo(new Objective("val_accuracy", Direction.MAXIMIZE, 0.99, List.of("fit_seconds")));
    assertThat(spec.searchSpace().parameters())
        .containsExactly(
            new FloatParameter("C", 0.001, 1000, true),
            new IntParameter("degree", 2, 8, 2, false),
            new CategoricalParameter("kernel", List.of("rbf", "poly", 3L, 0.5, false)));
    assertThat(spec.budget())
        .isEqualTo(new Budget(30, 5, 2, Duration.ofMinutes(90), Duration.ofMinutes(5)));
    assertThat(spec.optimizers()).containsExactly("tpe", "random", "gp");
    assertThat(spec.integrator()).isEqualTo(IntegratorSpec.bandit());
    var template =
        new ObjectMapper()
            .readTree(
                """
                {"metadata": {"labels": {"app.kubernetes.io/name": "digits"}},
                 "spec": {"restartPolicy": "Never", "containers": [
                   {"name": "trainer", "image": "python:3.11", "command": ["python3", "train.py"],
                    "args": ["--C", "${trial.parameters.C}", "--degree=${trial.parameters.degree}"],
                    "workingDir": "/work",
                    "env": [{"name": "KERNEL", "value": "${trial.parameters.kernel}"}]},
                   {"name": "sidecar", "image": "busybox"}]}}
                """);
    assertThat(spec.trialTemplate())
        .isEqualTo(
            new TrialTemplate(
                (ObjectNode) template,
                "trainer",
                new MetricsCollector(MetricsCollector.Kind.PUSH)));
  }

  @Test
  void appliesTheDefaultsOfEveryOptionalField() {
    Study study = reader.read(MINIMAL, null);

    assertThat(study.namespace()).isNull();
    assertThat(study.baseDir()).isNull();
    StudySpec spec = study.spec();
    assertThat(spec.seed()).isZero();
    assertThat(spec.objective())
        .isEqualTo(new Objective("loss", Direction.MINIMIZE, null, List.of()));
    assertThat(spec.searchSpace().parameters())
        .containsExactly(
            new FloatParameter("x", -1, 1, false), new IntParameter("n", 1, 4, 1, false));
    assertThat(spec.budget()).isEqualTo(new Budget(30, 6, 1, null, null));
    assertThat(spec.optimizers())
        .containsExactly("random", "sobol", "tpe", "gp", "cmaes", "forest");
    assertThat(spec.integrator()).isEqualTo(IntegratorSpec.bandit());
    assertThat(spec.trialTemplate().primaryContainer()).isNull();
    assertThat(spec.trialTemplate().metrics()).isEqualTo(MetricsCollector.stdout());
  }

  @Test
  void readsAFileWithItsFolderAsTheBaseDir(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("studies/digits.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, FULL);

    Study study = reader.read(dir.resolve("studies/../studies/digits.yaml"));

    assertThat(study.baseDir()).isEqualTo(dir.resolve("studies").toAbsolutePath());
    assertThat(study.name()).isEqualTo("digits-svm");
  }

  @Test
  void reportsAFileThatCannotBeRead(@TempDir Path dir) {
    Path missing = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> reader.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read study document " + missing);
  }

  @Test
  void ignoresTheStatusOfAResourceReadBackFromACluster() {
    String document = MINIMAL + "status:\n  phase: Running\n";

    assertThat(reader.read(document, null).name()).isEqualTo("minimal");
  }

  @Test
  void rejectsYamlSyntaxErrorsWithLineAndColumn() {
    assertThat(errorsOf(edit(FULL, "name: digits-svm", "name: digits: svm")))
        .containsExactly(
            new FieldError(
                "", "invalid YAML at line 4, column 15: mapping values are not allowed here"));
  }

  @Test
  void rejectsDuplicateKeysWithTheirLine() {
    assertThat(errorsOf(edit(FULL, "  seed: 42\n", "  seed: 42\n  seed: 43\n")))
        .containsExactly(
            new FieldError(
                "",
                "invalid YAML at line 8, column 9: duplicate key \"seed\"; a key may appear once"
                    + " per mapping"));
  }

  @Test
  void rejectsAnEmptyDocument() {
    assertThat(errorsOf("# nothing yet\n"))
        .containsExactly(
            new FieldError(
                "",
                "the document is empty; expected an HpoStudy with apiVersion, kind, metadata, spec"));
  }

  @Test
  void rejectsADocumentThatIsNotAnObject() {
    assertThat(errorsOf("- a\n- b\n"))
        .containsExactly(
            new FieldError(
                "", "expected an HpoStudy with apiVersion, kind, metadata, spec, got a list"));
  }

  @Test
  void rejectsAnotherApiVersion() {
    assertThat(errorsOf(edit(FULL, "asap.dev/v1alpha1", "asap.dev/v1")))
        .containsExactly(
            new FieldError(
                "apiVersion",
                "unsupported apiVersion \"asap.dev/v1\"; allowed: asap.dev/v1alpha1"));
  }

  @Test
  void rejectsAnotherKind() {
    assertThat(errorsOf(edit(FULL, "kind: HpoStudy", "kind: Experiment")))
        .containsExactly(
            new FieldError("kind", "unsupported kind \"Experiment\"; allowed: HpoStudy"));
  }

  @Test
  void requiresAName() {
    assertThat(errorsOf(edit(FULL, "  name: digits-svm\n", "")))
        .containsExactly(
            new FieldError(
                "metadata.name",
                "required; a DNS-1123 label: at most 63 lower-case letters, digits and '-',"
                    + " starting and ending with a letter or digit"));
  }

  @Test
  void rejectsANameThatIsNotADnsLabel() {
    assertThat(errorsOf(edit(FULL, "name: digits-svm", "name: Digits_SVM")))
        .containsExactly(
            new FieldError(
                "metadata.name",
                "invalid name \"Digits_SVM\"; a DNS-1123 label is at most 63 lower-case letters,"
                    + " digits and '-', starting and ending with a letter or digit"));
  }

  @Test
  void rejectsANameLongerThan63Characters() {
    String name = "a".repeat(64);

    assertThat(errorsOf(edit(FULL, "name: digits-svm", "name: " + name)))
        .extracting(FieldError::path)
        .containsExactly("metadata.name");
  }

  @Test
  void rejectsANamespaceThatIsNotADnsLabel() {
    assertThat(errorsOf(edit(FULL, "namespace: default", "namespace: -team")))
        .containsExactly(
            new FieldError(
                "metadata.namespace",
                "invalid namespace \"-team\"; a DNS-1123 label is at most 63 lower-case letters,"
                    + " digits and '-', starting and ending with a letter or digit"));
  }

  @Test
  void requiresTheSpec() {
    String document = MINIMAL.substring(0, MINIMAL.indexOf("spec:"));

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec",
                "required; an object with an objective, a searchSpace, a budget and a"
                    + " trialTemplate"));
  }

  @Test
  void rejectsAnUnknownTopLevelField() {
    assertThat(errorsOf(edit(FULL, "kind: HpoStudy\n", "kind: HpoStudy\nmetdata: {}\n")))
        .containsExactly(
            new FieldError(
                "metdata",
                "unknown field; did you mean metadata? allowed: apiVersion, kind, metadata, spec,"
                    + " status"));
  }

  @Test
  void reportsEveryErrorOfADocumentOneLineEach() {
    String document =
        edit(
            edit(edit(FULL, "type: float", "type: flot"), "maxTrials: 30", "maxTrials: 0"),
            "collector: push",
            "collector: prometheus");

    assertThatThrownBy(() -> reader.read(document, BASE))
        .isInstanceOf(StudyValidationException.class)
        .hasMessage(
            """
            spec.searchSpace.parameters[0].type: unknown type "flot"; allowed: float, int, \
            categorical
            spec.budget.maxTrials: must be at least 1, got 0
            spec.trialTemplate.metrics.collector: unknown collector "prometheus"; allowed: \
            stdout, push""");
  }
}
