package dev.asap.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonCompletionDetectorTest {

  @Test
  void completesAtTheClosingBraceAndDropsTheTrailingWhitespace() {
    JsonCompletionDetector detector = new JsonCompletionDetector();

    assertThat(detector.append("{\n  \"pick\"")).isFalse();
    assertThat(detector.append(": 2\n")).isFalse();
    assertThat(detector.append("}\n  ")).isTrue();

    assertThat(detector.completeValue()).isEqualTo("{\n  \"pick\": 2\n}");
  }

  @Test
  void ignoresBracesAndEscapedQuotesInsideStrings() {
    JsonCompletionDetector detector = new JsonCompletionDetector();

    assertThat(detector.append("{\"why\": \"a } and a \\\" and {\"")).isFalse();
    assertThat(detector.append(", \"n\": [1, {\"m\": 2}]")).isFalse();
    assertThat(detector.append("}")).isTrue();

    assertThat(detector.completeValue())
        .isEqualTo("{\"why\": \"a } and a \\\" and {\", \"n\": [1, {\"m\": 2}]}");
  }

  @Test
  void completesATopLevelArray() {
    JsonCompletionDetector detector = new JsonCompletionDetector();

    assertThat(detector.append("[1, [2]] trailing")).isTrue();

    assertThat(detector.completeValue()).isEqualTo("[1, [2]]");
  }

  @Test
  void keepsEverythingUntilAValueIsComplete() {
    JsonCompletionDetector detector = new JsonCompletionDetector();

    detector.append(" {\"a\": {\"b\": 1}");

    assertThat(detector.isComplete()).isFalse();
    assertThat(detector.completeValue()).isEqualTo(" {\"a\": {\"b\": 1}");
  }

  @Test
  void ignoresTextAppendedAfterCompletion() {
    JsonCompletionDetector detector = new JsonCompletionDetector();
    detector.append("{}");

    assertThat(detector.append("{\"more\": 1}")).isTrue();

    assertThat(detector.completeValue()).isEqualTo("{}");
  }
}
