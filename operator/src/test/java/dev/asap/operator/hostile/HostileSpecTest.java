package dev.asap.operator.hostile;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.asap.operator.OperatorTestSupport;
import dev.asap.operator.StudyFixtures;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoStudySpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Wrong specs, each in its own namespace: every one should end Invalid, with an Invalid condition
 * and exactly one Warning event naming the field, and no Job. The mock API server does not enforce
 * the CRD schema, so some of these would be refused by a real API server first (noted per case).
 *
 * <p>A unicode name is left out: a real API server refuses it, and the mock server stores it
 * without handing it to the operator.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HostileSpecTest extends OperatorTestSupport {

  private record Case(String field, boolean schemaStops, Consumer<HpoStudy> edit) {}

  private static HpoStudySpec.Parameter param(HpoStudy s, int i) {
    return s.getSpec().searchSpace.parameters.get(i);
  }

  private static List<Case> cases() {
    var c = new ArrayList<Case>();
    c.add(
        new Case(
            "spec.trialTemplate.template", true, s -> s.getSpec().trialTemplate.template = null));
    c.add(
        new Case(
            "spec.trialTemplate.template.spec",
            false,
            s -> s.getSpec().trialTemplate.template.setSpec(null)));
    c.add(
        new Case(
            "spec.trialTemplate.template.spec.containers",
            false,
            s -> s.getSpec().trialTemplate.template.getSpec().setContainers(List.of())));
    c.add(
        new Case(
            "spec.trialTemplate.template (placeholder nope)",
            false,
            s ->
                s.getSpec()
                    .trialTemplate
                    .template
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .setArgs(List.of("--x", "${trial.parameters.nope}"))));
    c.add(new Case("spec.budget.maxTrials", true, s -> s.getSpec().budget.maxTrials = 0));
    c.add(new Case("spec.budget.parallelism", true, s -> s.getSpec().budget.parallelism = 100000));
    c.add(
        new Case(
            "spec.searchSpace.parameters[2].values",
            false,
            s -> {
              var p = new HpoStudySpec.Parameter();
              p.name = "act";
              p.type = HpoStudySpec.ParameterType.CATEGORICAL;
              p.values = List.of();
              s.getSpec().searchSpace.parameters =
                  new ArrayList<>(s.getSpec().searchSpace.parameters);
              s.getSpec().searchSpace.parameters.add(p);
            }));
    c.add(new Case("spec.searchSpace.parameters[0].min", false, s -> param(s, 0).min = -1));
    c.add(
        new Case(
            "spec.searchSpace.parameters[1]",
            false,
            s -> {
              param(s, 1).min = 5;
              param(s, 1).max = 2;
            }));
    c.add(new Case("spec.searchSpace.parameters[1].name", false, s -> param(s, 1).name = "lr"));
    c.add(new Case("metadata.name", false, s -> s.getMetadata().setName("a".repeat(53))));
    c.add(
        new Case(
            "spec.speculation.tau",
            false,
            s -> {
              s.getSpec().speculation = new HpoStudySpec.Speculation();
              s.getSpec().speculation.tau = TextNode.valueOf("fast");
            }));
    c.add(
        new Case(
            "spec.speculation.epsilon",
            false,
            s -> {
              s.getSpec().speculation = new HpoStudySpec.Speculation();
              s.getSpec().speculation.epsilon = -1.0;
            }));
    c.add(new Case("spec.pool.optimizers", true, s -> s.getSpec().pool.optimizers = List.of()));
    c.add(
        new Case(
            "spec.pool.optimizers[1]",
            false,
            s ->
                s.getSpec().pool.optimizers =
                    List.of(HpoStudySpec.OptimizerName.RANDOM, HpoStudySpec.OptimizerName.RANDOM)));
    c.add(
        new Case(
            "spec.integrator.llm.endpoint",
            false,
            s -> {
              s.getSpec().integrator.type = HpoStudySpec.IntegratorType.LLM;
              s.getSpec().integrator.llm = new HpoStudySpec.Llm();
              s.getSpec().integrator.llm.endpoint = "gopher://nowhere\u0000";
            }));
    c.add(
        new Case("spec.budget.trialTimeout", false, s -> s.getSpec().budget.trialTimeout = "soon"));
    c.add(new Case("spec.objective.metric", true, s -> s.getSpec().objective.metric = ""));
    c.add(
        new Case(
            "spec.trialTemplate.primaryContainer",
            false,
            s -> s.getSpec().trialTemplate.primaryContainer = "sidecar"));
    c.add(
        new Case(
            "spec.trialTemplate.backoffLimit",
            true,
            s -> s.getSpec().trialTemplate.backoffLimit = -3));
    c.add(
        new Case(
            "spec.searchSpace.parameters[1].name (ASAP_PARAM_LR twice)",
            false,
            s -> {
              // "lr" and "LR" would both become ASAP_PARAM_LR.
              param(s, 1).name = "LR";
              param(s, 1).type = HpoStudySpec.ParameterType.FLOAT;
              s.getSpec()
                  .trialTemplate
                  .template
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setArgs(List.of());
            }));
    return c;
  }

  @Test
  void everyWrongSpecIsInvalidWithOneWarningNamingTheFieldAndNoJob() {
    List<Case> cases = cases();
    Map<String, Case> byNs = new LinkedHashMap<>();
    for (int i = 0; i < cases.size(); i++) {
      String ns = "spec-" + i;
      HpoStudy s = StudyFixtures.gpuStudy(ns, "s" + i, 3, 0);
      cases.get(i).edit().accept(s);
      client.resource(s).create();
      byNs.put(ns, cases.get(i));
    }
    // Every case gets the same time to settle; then each is judged.
    await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
    var soft = new SoftAssertions();
    var table = new StringBuilder("\n=== wrong specs ===\n");
    byNs.forEach(
        (ns, c) -> {
          HpoStudy s = client.resources(HpoStudy.class).inNamespace(ns).list().getItems().get(0);
          String name = s.getMetadata().getName();
          String phase = s.getStatus() == null ? null : s.getStatus().phase;
          String invalid =
              s.getStatus() == null || s.getStatus().conditions == null
                  ? null
                  : s.getStatus().conditions.stream()
                      .filter(x -> x.getType().equals("Invalid"))
                      .map(x -> x.getStatus() + " " + x.getMessage())
                      .findFirst()
                      .orElse(null);
          var evs = events(ns);
          long warnings = evs.stream().filter(e -> "Warning".equals(e.getType())).count();
          String reasons = evs.stream().map(e -> e.getReason()).toList().toString();
          int jobs = jobs(ns).size();
          int trials =
              client
                  .resources(dev.asap.operator.api.HpoTrial.class)
                  .inNamespace(ns)
                  .list()
                  .getItems()
                  .size();
          table.append(
              String.format(
                  "%s [%s%s] phase=%s jobs=%d hpotrials=%d events=%s invalid=%s%n",
                  ns,
                  c.field(),
                  c.schemaStops() ? ", CRD schema stops it" : "",
                  phase,
                  jobs,
                  trials,
                  reasons,
                  invalid));
          soft.assertThat(phase).as(ns + " " + c.field() + " phase").isEqualTo("Invalid");
          soft.assertThat(invalid).as(ns + " " + c.field() + " condition").isNotNull();
          soft.assertThat(warnings).as(ns + " " + c.field() + " warnings").isEqualTo(1);
          soft.assertThat(jobs).as(ns + " " + c.field() + " jobs").isZero();
        });
    System.out.println(table);
    soft.assertAll();
  }
}
