package dev.asap.engine.study;

import static dev.asap.engine.study.FieldReader.child;
import static dev.asap.engine.study.FieldReader.describe;
import static dev.asap.engine.study.FieldReader.quote;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads an {@code HpoStudy} document, the same YAML that a cluster holds as a custom resource, into
 * a {@link Study}. The tree is bound by hand rather than by data binding so that each problem is
 * reported against its exact field path, and all of a document's problems are reported together in
 * one {@link StudyValidationException}.
 *
 * <p>Defaults: {@code seed} 0; {@code budget.maxFailedTrials} {@code max(3, maxTrials / 5)}, so
 * that a few failures are tolerated in any study and a fifth of the trials in a large one; {@code
 * budget.parallelism} 1; no timeouts; every optimizer of {@link PoolMembers#OPTIMIZERS}; the first
 * of {@link PoolMembers#INTEGRATORS}, and for the LLM integrator the settings of {@link
 * IntegratorSpec.Llm#defaults()}; the {@code stdout} metrics collector.
 *
 * <p>Unknown fields are errors everywhere except in {@code metadata} (Kubernetes' ObjectMeta) and
 * inside {@code spec.trialTemplate.template} (a free PodTemplateSpec); a top-level {@code status},
 * as a resource read back from a cluster carries, is ignored.
 *
 * <p>Known shortcomings of the YAML layer: YAML 1.1 reads unquoted {@code yes}, {@code no}, {@code
 * on} and {@code off} as booleans, so such categories must be quoted to stay strings; anchors and
 * aliases are not resolved; only the first document of a multi-document file is read.
 */
public final class StudyDocumentReader {
  public static final String API_VERSION = "asap.dev/v1alpha1";
  public static final String KIND = "HpoStudy";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final String DNS_LABEL_FORM =
      "at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit";
  private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)' for");
  private static final List<String> ROOT_FIELDS =
      List.of("apiVersion", "kind", "metadata", "spec", "status");

  private final ObjectMapper yaml =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

  /**
   * Reads a study file; relative paths in its trial template resolve against the file's folder.
   *
   * @throws StudyValidationException listing every problem of the document
   * @throws UncheckedIOException when the file cannot be read
   */
  public Study read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read study document " + file, e);
    }
    return read(text, file.toAbsolutePath().normalize().getParent());
  }

  /**
   * Reads a study document from text.
   *
   * @param baseDir the folder relative paths in the trial template resolve against, or {@code null}
   * @throws StudyValidationException listing every problem of the document
   */
  public Study read(String text, Path baseDir) {
    JsonNode root = parse(text);
    var fields = new FieldReader();
    Study study = bind(root, fields, baseDir);
    if (!fields.errors().isEmpty()) {
      throw new StudyValidationException(fields.errors());
    }
    return study;
  }

  private JsonNode parse(String text) {
    try {
      return yaml.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StudyValidationException(List.of(new FieldError("", syntaxError(e))));
    }
  }

  private static String syntaxError(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String problem = String.valueOf(e.getOriginalMessage());
    Matcher duplicate = DUPLICATE_KEY.matcher(problem);
    if (duplicate.lookingAt()) {
      // Jackson's wording names its own switch; say it in the document's terms.
      problem =
          "duplicate key " + quote(duplicate.group(1)) + "; a key may appear once per mapping";
    } else if (e.getCause() instanceof MarkedYAMLException marked) {
      // SnakeYAML's own text repeats the source lines with carets; keep only the sentence.
      problem = marked.getProblem();
      if (marked.getContext() != null && marked.getContextMark() != null) {
        problem +=
            " ("
                + marked.getContext()
                + " that starts at line "
                + (marked.getContextMark().getLine() + 1)
                + ", column "
                + (marked.getContextMark().getColumn() + 1)
                + ")";
      }
    }
    return "invalid YAML" + where + ": " + problem;
  }

  private Study bind(JsonNode root, FieldReader fields, Path baseDir) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      fields.error("", "the document is empty; expected an HpoStudy with " + fieldList());
      return null;
    }
    if (!(root instanceof ObjectNode document)) {
      fields.error("", "expected an HpoStudy with " + fieldList() + ", got " + describe(root));
      return null;
    }
    fields.rejectUnknownFields(document, "", ROOT_FIELDS);
    expectConstant(fields, document, "apiVersion", API_VERSION);
    expectConstant(fields, document, "kind", KIND);

    ObjectNode metadata = fields.object(document, "", "metadata", "an object with a name");
    String name = dnsLabel(fields, metadata, "name", "a DNS-1123 label: " + DNS_LABEL_FORM);
    String namespace = dnsLabel(fields, metadata, "namespace", null);

    ObjectNode spec =
        fields.object(
            document,
            "",
            "spec",
            "an object with an objective, a searchSpace, a budget and a trialTemplate");
    StudySpec studySpec = spec == null ? null : new StudySpecReader(fields).read(spec);
    return name == null || studySpec == null
        ? null
        : new Study(name, namespace, studySpec, baseDir);
  }

  private static String fieldList() {
    return String.join(", ", ROOT_FIELDS.subList(0, 4));
  }

  private static void expectConstant(
      FieldReader fields, ObjectNode document, String key, String allowed) {
    String value = fields.string(document, "", key, "allowed: " + allowed);
    if (value != null && !value.equals(allowed)) {
      fields.error(key, "unsupported " + key + " " + quote(value) + "; allowed: " + allowed);
    }
  }

  private static String dnsLabel(
      FieldReader fields, ObjectNode metadata, String key, String ifMissing) {
    String value = fields.string(metadata, "metadata", key, ifMissing);
    if (value != null && (value.length() > 63 || !DNS_LABEL.matcher(value).matches())) {
      fields.error(
          child("metadata", key),
          "invalid " + key + " " + quote(value) + "; a DNS-1123 label is " + DNS_LABEL_FORM);
      return null;
    }
    return value;
  }
}
