package dev.asap.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
      String generated = Files.readString(out.resolve(crd + "-v1.yml"));
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
