package dev.asap.engine.study;

import static dev.asap.engine.study.StudyDocuments.FULL;
import static dev.asap.engine.study.StudyDocuments.MINIMAL;
import static dev.asap.engine.study.StudyDocuments.edit;
import static dev.asap.engine.study.StudyDocuments.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rules and defaults of the objective, budget, pool and integrator, and of the spec itself. */
class StudySpecReaderTest {
  private final StudyDocumentReader reader = new StudyDocumentReader();

  @Test
  void defaultMaxFailedTrialsIsAFifthOfMaxTrialsButAtLeastThree() {
    assertThat(maxFailedTrialsFor(2)).isEqualTo(3);
    assertThat(maxFailedTrialsFor(19)).isEqualTo(3);
    assertThat(maxFailedTrialsFor(24)).isEqualTo(4);
    assertThat(maxFailedTrialsFor(100)).isEqualTo(20);
  }

  private int maxFailedTrialsFor(int maxTrials) {
    String document = edit(MINIMAL, "maxTrials: 30", "maxTrials: " + maxTrials);
    return reader.read(document, null).spec().budget().maxFailedTrials();
  }

  @Test
  void takesEmptyPoolAndIntegratorObjectsAsTheDefaults() {
    String document = edit(MINIMAL, "  budget:\n", "  pool: {}\n  integrator: {}\n  budget:\n");

    StudySpec spec = reader.read(document, null).spec();

    assertThat(spec.optimizers()).isEqualTo(PoolMembers.OPTIMIZERS);
    assertThat(spec.integrator()).isEqualTo(IntegratorSpec.bandit());
  }

  @Test
  void rejectsMaxTrialsBelowOne() {
    assertThat(errorsOf(edit(FULL, "maxTrials: 30", "maxTrials: 0")))
        .containsExactly(new FieldError("spec.budget.maxTrials", "must be at least 1, got 0"));
  }

  @Test
  void requiresMaxTrials() {
    assertThat(errorsOf(edit(FULL, "    maxTrials: 30\n", "")))
        .containsExactly(
            new FieldError("spec.budget.maxTrials", "required; an integer of at least 1"));
  }

  @Test
  void rejectsNegativeMaxFailedTrials() {
    assertThat(errorsOf(edit(FULL, "maxFailedTrials: 5", "maxFailedTrials: -1")))
        .containsExactly(
            new FieldError("spec.budget.maxFailedTrials", "must be at least 0, got -1"));
  }

  @Test
  void rejectsParallelismBelowOne() {
    assertThat(errorsOf(edit(FULL, "parallelism: 2", "parallelism: 0")))
        .containsExactly(new FieldError("spec.budget.parallelism", "must be at least 1, got 0"));
  }

  @Test
  void rejectsADurationInAnotherForm() {
    assertThat(errorsOf(edit(FULL, "timeout: 1h30m", "timeout: 90 minutes")))
        .containsExactly(
            new FieldError(
                "spec.budget.timeout",
                "\"90 minutes\" is not a duration; write whole hours, minutes and seconds in that"
                    + " order (90s, 10m, 1h30m) or ISO-8601 (PT10M)"));
  }

  @Test
  void rejectsADurationWithoutAUnit() {
    assertThat(errorsOf(edit(FULL, "trialTimeout: PT5M", "trialTimeout: 300")))
        .containsExactly(
            new FieldError(
                "spec.budget.trialTimeout",
                "expected a duration string; write whole hours, minutes and seconds in that order"
                    + " (90s, 10m, 1h30m) or ISO-8601 (PT10M); got number 300"));
  }

  @Test
  void rejectsObjectiveMetricsThatATrialCouldNeverPrint() {
    assertThat(errorsOf(edit(FULL, "metric: val_accuracy", "metric: \"val acc\"")))
        .containsExactly(
            new FieldError(
                "spec.objective.metric",
                "\"val acc\" cannot be printed as a metric; names start with a letter or _ and go"
                    + " on with letters, digits, _ . / or -"));
    assertThat(
            errorsOf(edit(FULL, "additionalMetrics: [fit_seconds]", "additionalMetrics: [step]")))
        .containsExactly(
            new FieldError(
                "spec.objective.additionalMetrics[0]",
                "\"step\" gives the step of the other metrics on a line, not a metric"));
  }

  @Test
  void rejectsADurationLongerThanAYear() {
    assertThat(errorsOf(edit(FULL, "timeout: 1h30m", "timeout: 2562048h")))
        .containsExactly(
            new FieldError(
                "spec.budget.timeout", "must be at most 8760h (a year), got \"2562048h\""));
  }

  @Test
  void rejectsAZeroDuration() {
    assertThat(errorsOf(edit(FULL, "timeout: 1h30m", "timeout: 0s")))
        .containsExactly(
            new FieldError("spec.budget.timeout", "must be longer than zero, got \"0s\""));
  }

  @Test
  void requiresTheObjectiveMetric() {
    assertThat(errorsOf(edit(FULL, "    metric: val_accuracy\n", "")))
        .containsExactly(
            new FieldError(
                "spec.objective.metric",
                "required; the name of a metric the trials report, such as loss"));
  }

  @Test
  void rejectsAnUnknownDirection() {
    assertThat(errorsOf(edit(FULL, "direction: maximize", "direction: up")))
        .containsExactly(
            new FieldError(
                "spec.objective.direction",
                "unknown direction \"up\"; allowed: minimize, maximize"));
  }

  @Test
  void rejectsATargetThatIsNotANumber() {
    assertThat(errorsOf(edit(FULL, "target: 0.99", "target: high")))
        .containsExactly(
            new FieldError("spec.objective.target", "expected a number, got string \"high\""));
  }

  @Test
  void rejectsAnAdditionalMetricThatIsAlreadyRecorded() {
    assertThat(errorsOf(edit(FULL, "[fit_seconds]", "[fit_seconds, val_accuracy]")))
        .containsExactly(
            new FieldError(
                "spec.objective.additionalMetrics[1]",
                "\"val_accuracy\" is already recorded; each metric may appear once, and the"
                    + " objective's metric is always recorded"));
  }

  @Test
  void rejectsAnUnknownOptimizer() {
    assertThat(errorsOf(edit(FULL, "[tpe, random, gp]", "[tpe, hyperband]")))
        .containsExactly(
            new FieldError(
                "spec.pool.optimizers[1]",
                "unknown optimizer \"hyperband\"; allowed: random, sobol, tpe, gp, cmaes, forest"));
  }

  @Test
  void rejectsDuplicateOptimizers() {
    assertThat(errorsOf(edit(FULL, "[tpe, random, gp]", "[tpe, random, tpe]")))
        .containsExactly(
            new FieldError(
                "spec.pool.optimizers[2]",
                "duplicate optimizer \"tpe\"; optimizers[0] already names it, and each may appear"
                    + " once"));
  }

  @Test
  void rejectsAnEmptyPool() {
    assertThat(errorsOf(edit(FULL, "[tpe, random, gp]", "[]")))
        .containsExactly(
            new FieldError(
                "spec.pool.optimizers",
                "must name at least one optimizer; allowed: random, sobol, tpe, gp, cmaes,"
                    + " forest"));
  }

  @Test
  void rejectsAnUnknownIntegrator() {
    assertThat(errorsOf(edit(FULL, "type: bandit", "type: oracle")))
        .containsExactly(
            new FieldError(
                "spec.integrator.type", "unknown integrator \"oracle\"; allowed: bandit, llm"));
  }

  @Test
  void readsTheLlmIntegratorWithEveryDefaultWhenItHasNoSettings() {
    String document = edit(FULL, "type: bandit", "type: llm");

    StudySpec spec = reader.read(document, null).spec();

    assertThat(spec.integrator())
        .isEqualTo(
            new IntegratorSpec(
                "llm",
                new IntegratorSpec.Llm(
                    URI.create("http://127.0.0.1:8470/v1"), "default", Duration.ofSeconds(60))));
    assertThat(spec.integrator().name()).isEqualTo("llm");
  }

  @Test
  void readsTheLlmIntegratorsSettingsAndDropsTheEndpointsTrailingSlash() {
    String document =
        edit(
            FULL,
            "type: bandit",
            "type: llm\n    llm: {endpoint: \"http://127.0.0.1:9000/v1/\", model: smollm2,"
                + " timeout: 1m30s}");

    StudySpec spec = reader.read(document, null).spec();

    assertThat(spec.integrator().llm())
        .isEqualTo(
            new IntegratorSpec.Llm(
                URI.create("http://127.0.0.1:9000/v1"), "smollm2", Duration.ofSeconds(90)));
  }

  @Test
  void rejectsAnLlmEndpointThatIsNotAnHttpUrl() {
    String document =
        edit(FULL, "type: bandit", "type: llm\n    llm: {endpoint: \"ftp://127.0.0.1/v1\"}");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.integrator.llm.endpoint",
                "expected an http or https URL such as http://127.0.0.1:8470/v1, got"
                    + " \"ftp://127.0.0.1/v1\""));
  }

  @Test
  void rejectsAnLlmEndpointWithoutAScheme() {
    String document =
        edit(FULL, "type: bandit", "type: llm\n    llm: {endpoint: \"127.0.0.1:8470/v1\"}");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.integrator.llm.endpoint",
                "expected an http or https URL such as http://127.0.0.1:8470/v1, got"
                    + " \"127.0.0.1:8470/v1\""));
  }

  @Test
  void rejectsAnLlmEndpointWithAPortOutOfRange() {
    String document =
        edit(FULL, "type: bandit", "type: llm\n    llm: {endpoint: \"http://127.0.0.1:99999/v1\"}");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.integrator.llm.endpoint", "port 99999 is out of range; ports are 1..65535"));
  }

  @Test
  void rejectsAnLlmEndpointWithCredentialsWithoutRepeatingThem() {
    String document =
        edit(
            FULL,
            "type: bandit",
            "type: llm\n    llm: {endpoint: \"http://user:s3cret@127.0.0.1:8470/v1\"}");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.integrator.llm.endpoint",
                "must not carry a user name or password: credentials do not belong in a study"
                    + " file"));
  }

  @Test
  void rejectsEveryBadLlmSettingAtOnceWithTheirPaths() {
    String document =
        edit(FULL, "type: bandit", "type: llm\n    llm: {model: \"\", timeout: 30, modle: x}");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.integrator.llm.modle",
                "unknown field; did you mean model? allowed: endpoint, model, timeout"),
            new FieldError("spec.integrator.llm.model", "must not be empty"),
            new FieldError(
                "spec.integrator.llm.timeout",
                "expected a duration string; write whole hours, minutes and seconds in that order"
                    + " (90s, 10m, 1h30m) or ISO-8601 (PT10M); got number 30"));
  }

  @Test
  void rejectsLlmSettingsForTheBandit() {
    String document = edit(FULL, "type: bandit", "type: bandit\n    llm: {model: smollm2}");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.integrator.llm", "only for type llm; this integrator is \"bandit\""));
  }

  @Test
  void rejectsAnUnknownFieldInTheSpecWithASuggestion() {
    assertThat(errorsOf(edit(FULL, "  seed: 42", "  seeds: 42")))
        .containsExactly(
            new FieldError(
                "spec.seeds",
                "unknown field; did you mean seed? allowed: seed, objective, searchSpace, budget,"
                    + " pool, integrator, speculation, trialTemplate"));
  }

  @Test
  void rejectsAnUnknownFieldInANestedObjectWithASuggestion() {
    assertThat(errorsOf(edit(FULL, "parallelism: 2", "paralelism: 2")))
        .containsExactly(
            new FieldError(
                "spec.budget.paralelism",
                "unknown field; did you mean parallelism? allowed: maxTrials, maxFailedTrials,"
                    + " parallelism, timeout, trialTimeout"));
  }

  @Test
  void namesTheExpectedTypeOfAFieldWithTheWrongOne() {
    String document =
        edit(
            edit(
                edit(
                    edit(FULL, "maxTrials: 30", "maxTrials: thirty"),
                    "        log: true",
                    "        log: \"yes\""),
                "metric: val_accuracy",
                "metric: [val_accuracy]"),
            "  integrator:\n    type: bandit\n",
            "  integrator: bandit\n");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError("spec.objective.metric", "expected a string, got a list"),
            new FieldError(
                "spec.searchSpace.parameters[0].log",
                "expected a boolean (true or false), got string \"yes\""),
            new FieldError("spec.budget.maxTrials", "expected an integer, got string \"thirty\""),
            new FieldError("spec.integrator", "expected an object, got string \"bandit\""));
  }

  private static String withSpeculation(String block) {
    return edit(MINIMAL, "  budget:\n", "  speculation: " + block + "\n  budget:\n");
  }

  @Test
  void hasNoSpeculationWithoutTheBlock() {
    assertThat(reader.read(MINIMAL, null).spec().speculation()).isEqualTo(SpeculationSpec.off());
  }

  @Test
  void anEmptySpeculationBlockSpeculatesWithTheSelfTunersThreshold() {
    assertThat(reader.read(withSpeculation("{}"), null).spec().speculation())
        .isEqualTo(new SpeculationSpec(true, null, 1e-6));
    assertThat(reader.read(withSpeculation("{tau: auto}"), null).spec().speculation())
        .isEqualTo(SpeculationSpec.auto());
  }

  @Test
  void readsAFixedThresholdAnEpsilonAndEnabledFalse() {
    assertThat(
            reader
                .read(withSpeculation("{enabled: false, tau: 0.25, epsilon: 0.001}"), null)
                .spec()
                .speculation())
        .isEqualTo(new SpeculationSpec(false, 0.25, 0.001));
    assertThat(reader.read(withSpeculation("{tau: 0}"), null).spec().speculation().tau())
        .isEqualTo(0.0);
  }

  @Test
  void rejectsAThresholdOutsideZeroToAHundred() {
    assertThat(errorsOf(withSpeculation("{tau: -0.1}")))
        .containsExactly(
            new FieldError(
                "spec.speculation.tau",
                "must be from 0 to 100 (the largest relative error accepted; 0 recomputes unless"
                    + " a prediction is exact), or \"auto\" for the Self-Tuner's value; got -0.1"));
    assertThat(errorsOf(withSpeculation("{tau: 101}"))).hasSize(1);
  }

  @Test
  void rejectsAThresholdThatIsNeitherANumberNorAuto() {
    assertThat(errorsOf(withSpeculation("{tau: sometimes}")))
        .containsExactly(
            new FieldError(
                "spec.speculation.tau",
                "expected a number from 0 to 100 or \"auto\", got string \"sometimes\""));
  }

  @Test
  void rejectsAnEpsilonThatIsNotPositive() {
    assertThat(errorsOf(withSpeculation("{epsilon: 0}")))
        .containsExactly(
            new FieldError(
                "spec.speculation.epsilon",
                "must be a positive number (the smallest scale a relative error divides by); got"
                    + " 0"));
  }

  @Test
  void rejectsUnknownSpeculationFields() {
    assertThat(errorsOf(withSpeculation("{threshold: 0.1}")))
        .extracting(FieldError::path)
        .containsExactly("spec.speculation.threshold");
  }

  @Test
  void refusesSpeculationWithAPoolThatCannotPredict() {
    String document =
        edit(
            MINIMAL,
            "  budget:\n",
            "  pool: {optimizers: [random, tpe]}\n  speculation: {}\n  budget:\n");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.speculation",
                "predicts running trials with the pool's surrogate models, and this pool has none;"
                    + " add one of gp, forest to pool.optimizers, or remove the speculation block"));
  }
}
