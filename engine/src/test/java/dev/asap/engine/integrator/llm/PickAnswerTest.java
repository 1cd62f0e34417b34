package dev.asap.engine.integrator.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PickAnswerTest {

  @Test
  void readsThePickAsAnIndexFromZero() throws Exception {
    assertThat(PickAnswer.index("{\"pick\": 2}", 3, null)).isEqualTo(1);
  }

  @Test
  void toleratesWhitespaceAroundAndInsideTheObject() throws Exception {
    assertThat(PickAnswer.index("\n  { \"pick\" :3 }  \n", 3, null)).isEqualTo(2);
  }

  @Test
  void refusesPicksOutsideOneToK() {
    assertThatThrownBy(() -> PickAnswer.index("{\"pick\": 4}", 3, null))
        .hasMessage("out-of-range: pick 4 is not in 1..3");
    assertThatThrownBy(() -> PickAnswer.index("{\"pick\": 0}", 3, null))
        .hasMessage("out-of-range: pick 0 is not in 1..3");
    assertThatThrownBy(() -> PickAnswer.index("{\"pick\": 123456789012345678901234}", 3, null))
        .hasMessage("out-of-range: pick 12345678901234567890... is not in 1..3");
  }

  @Test
  void refusesAnythingButTheBareObjectAndQuotesItsFirstEightyCharacters() {
    assertThatThrownBy(() -> PickAnswer.index("I pick 2", 3, null))
        .isInstanceOf(LlmFailure.class)
        .hasMessage("unparsable: \"I pick 2\"");
    assertThatThrownBy(() -> PickAnswer.index("{\"pick\": \"2\"}", 3, null))
        .hasMessage("unparsable: \"{\"pick\": \"2\"}\"");
    assertThatThrownBy(() -> PickAnswer.index("{\"pick\": 2, \"why\": \"best\"}", 3, null))
        .hasMessage("unparsable: \"{\"pick\": 2, \"why\": \"best\"}\"");
    assertThatThrownBy(() -> PickAnswer.index("{\"pick\": 2.0}", 3, null))
        .hasMessage("unparsable: \"{\"pick\": 2.0}\"");
    assertThatThrownBy(() -> PickAnswer.index("x".repeat(100), 3, null))
        .hasMessage("unparsable: \"" + "x".repeat(80) + "...\"");
  }
}
