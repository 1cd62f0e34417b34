package dev.asap.operator.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asap.operator.OperatorTestSupport;
import dev.asap.operator.StudyFixtures;
import dev.asap.operator.api.HpoStudy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One HpoStudy whose spec does not read into the operator's types (an unknown enum value, a string
 * seed: the CRD schema refuses both, but a CRD installed newer than the operator lets the first
 * through) must not stop the watch of every study: the others go on. Runs in an application of its
 * own, since a failure here would break the one it runs in.
 */
@QuarkusTest
@TestProfile(HostileUnreadableTest.OwnApplication.class)
@WithKubernetesTestServer(crud = true)
class HostileUnreadableTest extends OperatorTestSupport {
  /** A profile only so that this test gets an operator of its own. */
  public static class OwnApplication implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("asap.operator.state-dir", "target/operator-state-unreadable");
    }
  }

  @Test
  void anUnreadableStudyDoesNotStopOthers() {
    String ns = "atk-unreadable";
    var raw =
        Serialization.unmarshal(
            Serialization.asYaml(StudyFixtures.gpuStudy(ns, "weird", 3, 5)),
            GenericKubernetesResource.class);
    @SuppressWarnings("unchecked")
    var spec = (Map<String, Object>) raw.getAdditionalProperties().get("spec");
    spec.put("pool", Map.of("optimizers", java.util.List.of("random", "bohb")));
    client
        .genericKubernetesResources("asap.dev/v1alpha1", "HpoStudy")
        .inNamespace(ns)
        .resource(raw)
        .create();
    client.resource(StudyFixtures.gpuStudy("atk-innocent", "fine", 3, 5)).create();

    awaitJob("atk-innocent", "fine-t0");
    HpoStudy weird =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.resources(HpoStudy.class).inNamespace(ns).withName("weird").get(),
                w -> w.getStatus() != null && "Invalid".equals(w.getStatus().phase));
    assertThat(weird.getStatus().conditions)
        .anySatisfy(c -> assertThat(c.getMessage()).startsWith("spec.pool.optimizers[1]: "));
    awaitJob("atk-innocent", "fine-t0");
  }
}
