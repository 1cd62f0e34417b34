package dev.asap.engine.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The duration forms a study document accepts. */
class DurationTextTest {

  @Test
  void readsTheShortFormInAnyCombinationOfUnits() {
    assertThat(DurationText.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationText.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationText.parse("1h5s")).isEqualTo(Duration.ofSeconds(3605));
  }

  @Test
  void readsIso8601() {
    assertThat(DurationText.parse("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(DurationText.parse("P1DT1H")).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void rejectsUnitsOutOfOrderFractionsSpacesAndEmptyText() {
    for (String text : new String[] {"30m1h", "1.5h", "10 m", "", "10", "PT"}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> DurationText.parse(text))
          .withMessage(
              "\""
                  + text
                  + "\" is not a duration; write whole hours, minutes and seconds in that order"
                  + " (90s, 10m, 1h30m) or ISO-8601 (PT10M)");
    }
  }

  @Test
  void formatsInTheShortForm() {
    assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(DurationText.format(Duration.ofMinutes(150))).isEqualTo("2h30m");
    assertThat(DurationText.format(Duration.ofMillis(300))).isEqualTo("0.3s");
  }
}
