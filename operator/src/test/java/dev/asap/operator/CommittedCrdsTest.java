package dev.asap.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRDs under {@code crds/} and in the Helm chart are generated from the Java types; this test
 * fails when a committed copy differs from what the types generate now. Run it with {@code
 * -Dasap.crds.update=true} to rewrite the copies.
 */
class CommittedCrdsTest {
  private static final List<String> CRDS = List.of("hpostudies.asap.dev", "hpotrials.asap.dev");

  /**
   * The order kubectl shows the columns in. The generator sorts them by JSON path, which would put
   * Age first; the committed CRDs list them as declared here (unlisted ones keep their place
   * after).
   */
  private static final List<String> COLUMN_ORDER =
      List.of("Study", "Phase", "Trials", "Source", "Objective", "Best", "Age");

  private static String inDisplayOrder(String yaml) {
    CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    for (var version : crd.getSpec().getVersions()) {
      var columns = new ArrayList<>(version.getAdditionalPrinterColumns());
      columns.sort(
          Comparator.comparingInt(
              c ->
                  COLUMN_ORDER.contains(c.getName())
                      ? COLUMN_ORDER.indexOf(c.getName())
                      : COLUMN_ORDER.size()));
      version.setAdditionalPrinterColumns(columns);
    }
    return "# Generated from the Java types in operator/src/main/java/dev/asap/operator/api;"
        + " do not edit.\n"
        + Serialization.asYaml(crd);
  }

  @Test
  void committedCrdsMatchTheJavaTypes(@TempDir Path out) throws IOException {
    new CRDGenerator()
        .customResourceClasses(HpoStudy.class, HpoTrial.class)
        .forCRDVersions("v1")
        .inOutputDir(out.toFile())
        .generate();
    Path repo =
        Path.of(System.getProperty("asap.crds.dir", "../crds")).toAbsolutePath().getParent();
    for (String crd : CRDS) {
      String generated = inDisplayOrder(Files.readString(out.resolve(crd + "-v1.yml")));
      for (Path copy :
          List.of(
              repo.resolve("crds").resolve(crd + ".yaml"),
              repo.resolve("helm/asap/crds").resolve(crd + ".yaml"))) {
        if (Boolean.getBoolean("asap.crds.update")) {
          Files.createDirectories(copy.getParent());
          Files.writeString(copy, generated);
        }
        assertThat(copy)
            .as(
                "%s is generated from the Java types; run the operator's tests with"
                    + " -Dasap.crds.update=true to rewrite it",
                copy)
            .exists();
        assertThat(Files.readString(copy))
            .as(
                "%s differs from what the Java types generate; run the operator's tests with"
                    + " -Dasap.crds.update=true and commit the result",
                copy)
            .isEqualTo(generated);
      }
    }
  }
}
