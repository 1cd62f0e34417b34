package dev.asap.engine.study;

import static dev.asap.engine.study.StudyDocuments.FULL;
import static dev.asap.engine.study.StudyDocuments.MINIMAL;
import static dev.asap.engine.study.StudyDocuments.edit;
import static dev.asap.engine.study.StudyDocuments.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rules of {@code spec.searchSpace}, one test each, through the document reader. */
class SearchSpaceReaderTest {
  @Test
  void rejectsAnUnknownParameterType() {
    assertThat(errorsOf(edit(FULL, "type: float", "type: flot")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[0].type",
                "unknown type \"flot\"; allowed: float, int, categorical"));
  }

  @Test
  void requiresAParameterType() {
    assertThat(errorsOf(edit(FULL, "        type: float\n", "")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[0].type",
                "required; allowed: float, int, categorical"));
  }

  @Test
  void rejectsAMinThatIsNotBelowMax() {
    assertThat(errorsOf(edit(FULL, "max: 1000", "max: 0.001")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[0].min", "must be less than max (0.001), got 0.001"));
  }

  @Test
  void rejectsAnIntMinThatIsNotBelowMax() {
    assertThat(errorsOf(edit(FULL, "max: 8", "max: 1")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[1].min", "must be less than max (1), got 2"));
  }

  @Test
  void rejectsAFloatRangeWiderThanADoubleHolds() {
    String wide =
        edit(
            edit(edit(FULL, "min: 0.001", "min: -1.0e308"), "max: 1000", "max: 1.0e308"),
            "log: true",
            "log: false");
    assertThat(errorsOf(wide))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[0].max",
                "max - min must be a finite number (at most 1.7976931348623157E308), got 1.0E308"
                    + " - -1.0E308"));
  }

  @Test
  void rejectsAnIntRangeWiderThanALongCounts() {
    String wide =
        edit(
            edit(FULL, "min: 2", "min: -5000000000000000000"),
            "max: 8",
            "max: 5000000000000000000");
    assertThat(errorsOf(wide))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[1].max",
                "max - min must be at most 9223372036854775807, got 5000000000000000000 -"
                    + " -5000000000000000000"));
  }

  @Test
  void rejectsALogScaleWithoutAPositiveMin() {
    assertThat(errorsOf(edit(FULL, "min: 0.001", "min: 0")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[0].min",
                "must be greater than 0 for a log-scale parameter (log: true), got 0"));
  }

  @Test
  void rejectsAnIntStepBelowOne() {
    assertThat(errorsOf(edit(FULL, "step: 2", "step: 0")))
        .containsExactly(
            new FieldError("spec.searchSpace.parameters[1].step", "must be at least 1, got 0"));
  }

  @Test
  void rejectsALogScaleIntWithAStepOtherThanOne() {
    assertThat(errorsOf(edit(FULL, "        step: 2\n", "        step: 2\n        log: true\n")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[1].step",
                "must be 1 for a log-scale parameter (log: true), got 2"));
  }

  @Test
  void rejectsAnIntStepThatLeavesASingleValue() {
    assertThat(errorsOf(edit(FULL, "step: 2", "step: 7")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[1].step",
                "must be at most max - min (6), or the parameter has a single value; got 7"));
  }

  @Test
  void rejectsNonIntegerBoundsForAnInt() {
    assertThat(errorsOf(edit(FULL, "max: 8", "max: 8.5")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[1].max",
                "an int parameter needs integer bounds, got number 8.5"));
  }

  @Test
  void rejectsANonFiniteFloatBound() {
    assertThat(errorsOf(edit(FULL, "max: 1000", "max: 1e400")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[0].max",
                "expected a finite number, got number Infinity"));
  }

  @Test
  void rejectsAFieldThatBelongsToAnotherParameterType() {
    assertThat(errorsOf(edit(FULL, "        log: true\n", "        log: true\n        step: 1\n")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[0].step",
                "not a field of a float parameter; allowed: name, type, min, max, log"));
  }

  @Test
  void rejectsAnUnknownFieldWithoutAnyCloseName() {
    assertThat(
            errorsOf(edit(FULL, "        log: true\n", "        log: true\n        scale: wide\n")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[0].scale",
                "unknown field; allowed: name, type, min, max, log"));
  }

  @Test
  void rejectsEmptyCategories() {
    assertThat(errorsOf(edit(FULL, "values: [rbf, poly, 3, 0.5, false]", "values: []")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[2].values",
                "must hold at least one value (strings, numbers or booleans)"));
  }

  @Test
  void rejectsDuplicateCategories() {
    assertThat(errorsOf(edit(FULL, "[rbf, poly, 3, 0.5, false]", "[rbf, poly, rbf, 3, 3.0]")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[2].values[2]",
                "duplicate value string \"rbf\"; values[0] already has it, and values must be"
                    + " distinct"),
            new FieldError(
                "spec.searchSpace.parameters[2].values[4]",
                "duplicate value number 3.0; values[3] already has it, and values must be"
                    + " distinct"));
  }

  @Test
  void rejectsCategoriesThatAreNotScalars() {
    assertThat(errorsOf(edit(FULL, "[rbf, poly, 3, 0.5, false]", "[rbf, [poly], {a: 1}, ~]")))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[2].values[1]",
                "expected a string, number or boolean, got a list"),
            new FieldError(
                "spec.searchSpace.parameters[2].values[2]",
                "expected a string, number or boolean, got an object"),
            new FieldError(
                "spec.searchSpace.parameters[2].values[3]",
                "expected a string, number or boolean, got null"));
  }

  @Test
  void rejectsDuplicateParameterNames() {
    String document =
        edit(
            edit(FULL, "name: kernel", "name: C"),
            "value: \"${trial.parameters.kernel}\"",
            "value: rbf");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[2].name",
                "duplicate name \"C\"; parameters[0] already has it"));
  }

  @Test
  void rejectsInvalidParameterNames() {
    String document =
        edit(
            edit(FULL, "name: degree", "name: poly-degree"),
            "\"--degree=${trial.parameters.degree}\"",
            "--degree=4");

    assertThat(errorsOf(document))
        .containsExactly(
            new FieldError(
                "spec.searchSpace.parameters[1].name",
                "invalid name \"poly-degree\"; a parameter name is a letter or '_' followed by"
                    + " letters, digits or '_'"));
  }

  @Test
  void rejectsAnEmptyParameterList() {
    String parameters =
        MINIMAL.substring(MINIMAL.indexOf("    parameters:"), MINIMAL.indexOf("  budget:"));

    assertThat(errorsOf(edit(MINIMAL, parameters, "    parameters: []\n")))
        .containsExactly(
            new FieldError("spec.searchSpace.parameters", "must hold at least one parameter"));
  }
}
