package dev.asap.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricLineParserTest {
  private static final Instant AT = Instant.parse("2025-01-02T03:04:05Z");

  private static List<MetricReport> parse(String line) {
    return MetricLineParser.parse(line, AT);
  }

  private static MetricReport report(String name, double value, Long step) {
    return new MetricReport(name, value, step, AT);
  }

  @Test
  void readsASinglePair() {
    assertThat(parse("val_accuracy=0.93")).containsExactly(report("val_accuracy", 0.93, null));
  }

  @Test
  void readsPairsSeparatedByBlanksAndCommasWithEpochAsTheStep() {
    assertThat(parse("epoch=3 loss=0.25, val_loss=0.3"))
        .containsExactly(report("loss", 0.25, 3L), report("val_loss", 0.3, 3L));
  }

  @Test
  void stepGivesTheStepOfEveryPairOnItsLineWhereverItStands() {
    assertThat(parse("loss=0.5 step=12 acc=0.75"))
        .containsExactly(report("loss", 0.5, 12L), report("acc", 0.75, 12L));
  }

  @Test
  void epochIsAMetricWhenStepIsAlsoOnTheLine() {
    assertThat(parse("step=120 epoch=2 loss=0.5"))
        .containsExactly(report("epoch", 2, 120L), report("loss", 0.5, 120L));
  }

  @Test
  void aFractionalEpochIsAMetricAndTheLineHasNoStep() {
    assertThat(parse("epoch=1.5 loss=0.5"))
        .containsExactly(report("epoch", 1.5, null), report("loss", 0.5, null));
  }

  @Test
  void toleratesSurroundingBlanksTabsAndATrailingComma() {
    assertThat(parse("  a=1,\tb=2,  ")).containsExactly(report("a", 1, null), report("b", 2, null));
  }

  @Test
  void acceptsNamesWithDotsSlashesAndDashes() {
    assertThat(parse("train/loss=0.1 val.acc=0.2 f1-score=0.3 _x9=4"))
        .containsExactly(
            report("train/loss", 0.1, null),
            report("val.acc", 0.2, null),
            report("f1-score", 0.3, null),
            report("_x9", 4, null));
  }

  @Test
  void readsJavaNumberSyntax() {
    List<MetricReport> reports = parse("a=1e-3 b=-2.5E2 c=+.5 d=7 e=3. f=0x1p3 g=2d");
    assertThat(reports)
        .extracting(MetricReport::value)
        .containsExactly(1e-3, -250.0, 0.5, 7.0, 3.0, 8.0, 2.0);
  }

  @Test
  void readsNanAndInfinityInAnyCase() {
    List<MetricReport> reports = parse("a=nan b=NaN c=inf d=-inf e=Infinity f=-INFINITY g=+Inf");
    assertThat(reports)
        .extracting(MetricReport::value)
        .containsExactly(
            Double.NaN,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY);
  }

  @Test
  void reportsARepeatedNameTwiceInOrder() {
    assertThat(parse("loss=1 loss=2"))
        .containsExactly(report("loss", 1, null), report("loss", 2, null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "Using lr=0.1 for training",
        "lr=0.1 is what we use",
        "loss = 0.25",
        "loss=",
        "=0.25",
        "loss==0.25",
        "loss=abc",
        "version=3.8.1",
        "loss=0.25;",
        "loss=1,5",
        "9lives=1",
        "a b=1",
        "loss=1_000",
        "step=3 loss=0.1 step=4",
        "step=2.5 loss=0.1",
        "step=-1 loss=0.1",
        "step=nan loss=0.1",
        "INFO:root:val_accuracy=0.93",
        "Epoch 3/10 - loss: 0.25",
        "[step 3] loss=0.1",
      })
  void ignoresLinesThatAreNotMetricLines(String line) {
    assertThat(parse(line)).isEmpty();
  }

  @Test
  void aLineWithOnlyAStepHasNoMetric() {
    assertThat(parse("step=3")).isEmpty();
  }

  @Test
  void readsAFlatJsonObjectWithItsStep() {
    assertThat(parse("{\"val_accuracy\": 0.93, \"step\": 3}"))
        .containsExactly(report("val_accuracy", 0.93, 3L));
  }

  @Test
  void readsTheNestedJsonFormWithItsTopLevelStep() {
    assertThat(parse("{\"metrics\": {\"loss\": 0.25, \"acc\": 0.5}, \"step\": 3, \"ts\": \"x\"}"))
        .containsExactly(report("loss", 0.25, 3L), report("acc", 0.5, 3L));
  }

  @Test
  void inTheNestedFormAStepInsideMetricsIsAMetric() {
    assertThat(parse("{\"metrics\": {\"step\": 7, \"loss\": 0.25}, \"epoch\": 2}"))
        .containsExactly(report("step", 7, 2L), report("loss", 0.25, 2L));
  }

  @Test
  void readsJsonEpochAsTheStepWhenThereIsNoStep() {
    assertThat(parse("{\"epoch\": 4, \"loss\": 0.5}")).containsExactly(report("loss", 0.5, 4L));
  }

  @Test
  void readsAJsonStepWrittenAsAWholeDecimal() {
    assertThat(parse("{\"loss\": 0.5, \"step\": 4.0}")).containsExactly(report("loss", 0.5, 4L));
  }

  @Test
  void readsBareAndQuotedNanAndInfinityInJson() {
    List<MetricReport> reports =
        parse("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, \"d\": \"nan\", \"e\": \"-inf\"}");
    assertThat(reports)
        .extracting(MetricReport::value)
        .containsExactly(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.NaN,
            Double.NEGATIVE_INFINITY);
  }

  @Test
  void readsAPythonDictPrintedAsItIs() {
    assertThat(parse("{'loss': 0.4567, 'learning_rate': 5e-05, 'epoch': 0.5}"))
        .containsExactly(
            report("loss", 0.4567, null),
            report("learning_rate", 5e-05, null),
            report("epoch", 0.5, null));
  }

  @Test
  void keepsTheValueOfALargeJsonNumber() {
    List<MetricReport> reports = parse("{\"tokens\": 123456789012345678901234567890}");
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).value()).isCloseTo(1.2345678901234568e29, within(1e14));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"step\": 3}",
        "{\"level\": \"info\", \"msg\": \"starting\"}",
        "{\"loss\": 0.5, \"msg\": \"ok\"}",
        "{\"loss\": \"0.5\"}",
        "{\"loss\": true}",
        "{\"loss\": null}",
        "{\"loss\": [0.5]}",
        "{\"loss\": {\"value\": 0.5}}",
        "{\"loss\": 0.5, \"step\": \"3\"}",
        "{\"loss\": 0.5, \"step\": 1.5}",
        "{\"val acc\": 0.5}",
        "{\"loss\": 0.5} trailing",
        "{\"loss\": 0.5}{\"acc\": 1}",
        "{\"loss\": 0.5",
        "{\"metrics\": {\"loss\": \"low\"}, \"step\": 1}",
        "{\"metrics\": {\"loss\": 0.5}, \"step\": -2}",
        "[0.5]",
      })
  void ignoresJsonLinesThatAreNotMetricLines(String line) {
    assertThat(parse(line)).isEmpty();
  }

  @Test
  void stampsEveryReportWithTheGivenInstant() {
    assertThat(parse("a=1 b=2")).extracting(MetricReport::at).containsExactly(AT, AT);
  }
}
