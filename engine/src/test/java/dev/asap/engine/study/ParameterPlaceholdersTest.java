package dev.asap.engine.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.SearchSpace;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Finding and substituting {@code ${trial.parameters.NAME}} placeholders. */
class ParameterPlaceholdersTest {
  private static final SearchSpace SPACE =
      new SearchSpace(
          List.of(
              new FloatParameter("C", 0.001, 1000, true),
              new IntParameter("degree", 2, 5, 1, false),
              new CategoricalParameter("kernel", List.of("rbf", "poly", "sigmoid"))));
  private static final Configuration CONFIGURATION =
      SPACE.configuration(Map.of("C", 0.25, "degree", 3, "kernel", "poly"));

  @Test
  void substitutesEachKindOfParameterAsText() {
    String text =
        "--C=${trial.parameters.C} --degree ${trial.parameters.degree} ${trial.parameters.kernel}";

    assertThat(ParameterPlaceholders.substitute(text, CONFIGURATION))
        .isEqualTo("--C=0.25 --degree 3 poly");
  }

  @Test
  void substitutesTheSameParameterEachTimeItAppears() {
    assertThat(
            ParameterPlaceholders.substitute(
                "${trial.parameters.degree}x${trial.parameters.degree}", CONFIGURATION))
        .isEqualTo("3x3");
  }

  @Test
  void leavesTextWithoutPlaceholdersUnchanged() {
    assertThat(ParameterPlaceholders.substitute("", CONFIGURATION)).isEmpty();
    assertThat(ParameterPlaceholders.substitute("cost $5 {total} $", CONFIGURATION))
        .isEqualTo("cost $5 {total} $");
  }

  @Test
  void leavesShellVariablesThatAreNotTrialPlaceholdersAlone() {
    String script = "cd ${HOME} && run --C ${trial.parameters.C} ${UNSET";

    assertThat(ParameterPlaceholders.substitute(script, CONFIGURATION))
        .isEqualTo("cd ${HOME} && run --C 0.25 ${UNSET");
    assertThat(ParameterPlaceholders.referencedParameters(script)).containsExactly("C");
  }

  @Test
  void rendersFloatsInPlainDecimalWithEveryDigitNeeded() {
    assertThat(ParameterPlaceholders.render(0.0001)).isEqualTo("0.0001");
    assertThat(ParameterPlaceholders.render(1000.0)).isEqualTo("1000.0");
    assertThat(ParameterPlaceholders.render(123456789.0)).isEqualTo("123456789.0");
    assertThat(ParameterPlaceholders.render(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(ParameterPlaceholders.render(-2.5)).isEqualTo("-2.5");
    assertThat(ParameterPlaceholders.render(0.0)).isEqualTo("0.0");
    assertThat(ParameterPlaceholders.render(1.5e-6)).isEqualTo("0.0000015");
  }

  @Test
  void rendersVeryLargeAndVerySmallFloatsInScientificNotation() {
    assertThat(ParameterPlaceholders.render(1e-7)).isEqualTo("1.0E-7");
    assertThat(ParameterPlaceholders.render(2.5e16)).isEqualTo("2.5E16");
  }

  @Test
  void renderedFloatsParseBackToTheSameValue() {
    var random = new SplittableRandom(11);
    for (int i = 0; i < 2000; i++) {
      double x = Math.exp(random.nextDouble(-25, 40)) * (random.nextBoolean() ? 1 : -1);
      assertThat(Double.parseDouble(ParameterPlaceholders.render(x))).isEqualTo(x);
    }
  }

  @Test
  void rendersIntegersAndCategoriesAsWritten() {
    var space =
        new SearchSpace(
            List.of(
                new IntParameter("n", -10, 10, 1, false),
                new CategoricalParameter("flag", List.of(true, false)),
                new CategoricalParameter("rate", List.of(0.5, 2))));
    var configuration = space.configuration(Map.of("n", -7, "flag", true, "rate", 2));

    assertThat(
            ParameterPlaceholders.substitute(
                "${trial.parameters.n} ${trial.parameters.flag} ${trial.parameters.rate}",
                configuration))
        .isEqualTo("-7 true 2");
  }

  @Test
  void listsReferencedParametersInOrderOfFirstUse() {
    assertThat(
            ParameterPlaceholders.referencedParameters(
                "${trial.parameters.b} ${trial.parameters.a} ${trial.parameters.b}"))
        .containsExactly("b", "a");
  }

  @Test
  void rejectsAnUnterminatedPlaceholder() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ParameterPlaceholders.referencedParameters("--C ${trial.parameters.C"))
        .withMessage(
            "unterminated placeholder \"${trial.parameters.C\"; write ${trial.parameters.NAME}"
                + " with its '}'");
  }

  @Test
  void rejectsAPlaceholderThatRunsIntoTheNextOne() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                ParameterPlaceholders.substitute(
                    "${trial.parameters.C ${trial.parameters.degree}", CONFIGURATION))
        .withMessage(
            "unterminated placeholder \"${trial.parameters.C \"; write ${trial.parameters.NAME}"
                + " with its '}'");
  }

  @Test
  void rejectsAPlaceholderOfAnotherForm() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ParameterPlaceholders.substitute("${trial.params.C}", CONFIGURATION))
        .withMessage(
            "malformed placeholder \"${trial.params.C}\"; write ${trial.parameters.NAME},"
                + " where NAME is a parameter's name");
  }

  @Test
  void rejectsSubstitutingAParameterTheConfigurationLacks() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> ParameterPlaceholders.substitute("${trial.parameters.gamma}", CONFIGURATION))
        .withMessage("${trial.parameters.gamma} names no parameter; parameters: C, degree, kernel");
  }

  @Test
  void substitutesEveryStringValueOfATreeAndLeavesTheOriginalAlone() throws Exception {
    var mapper = new ObjectMapper();
    JsonNode tree =
        mapper.readTree(
            """
            {"args": ["--C", "${trial.parameters.C}"], "replicas": 1,
             "env": [{"name": "${trial.parameters.kernel}", "value": "${trial.parameters.degree}"}],
             "${trial.parameters.C}": null}
            """);
    JsonNode before = tree.deepCopy();

    JsonNode substituted = ParameterPlaceholders.substitute(tree, CONFIGURATION);

    assertThat(substituted)
        .isEqualTo(
            mapper.readTree(
                """
                {"args": ["--C", "0.25"], "replicas": 1,
                 "env": [{"name": "poly", "value": "3"}],
                 "${trial.parameters.C}": null}
                """));
    assertThat(tree).isEqualTo(before);
  }
}
