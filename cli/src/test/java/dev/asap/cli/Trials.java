package dev.asap.cli;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import java.time.Instant;
import java.util.Map;

/** Trial records for tests, timed in seconds after a fixed instant. */
final class Trials {
  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private Trials() {}

  static TrialRecord running(int number, String source, Map<String, Object> parameters, int start) {
    return new TrialRecord(
        number,
        parameters,
        source,
        null,
        TrialState.RUNNING,
        T0.plusSeconds(start),
        T0.plusSeconds(start),
        null,
        null,
        Map.of(),
        null,
        "pid " + (1000 + number),
        null);
  }

  static TrialRecord completed(
      int number, String source, Map<String, Object> parameters, int start, int end, double value) {
    return running(number, source, parameters, start)
        .ended(TrialState.COMPLETED, T0.plusSeconds(end), value, Map.of(), null);
  }

  static TrialRecord failed(
      int number, String source, Map<String, Object> parameters, int start, int end, String why) {
    return running(number, source, parameters, start)
        .ended(TrialState.FAILED, T0.plusSeconds(end), null, Map.of(), why);
  }
}
