package dev.asap.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyJournalTest {
  @TempDir Path dir;

  private static TrialRecord completed(int n, double value) {
    Instant at = Instant.parse("2026-12-04T10:00:00Z");
    return new TrialRecord(
        n,
        Map.of("x", 0.5),
        "random",
        null,
        TrialState.COMPLETED,
        at,
        at,
        at,
        value,
        Map.of("loss", value),
        null,
        "fn:" + n,
        null);
  }

  @Test
  void aSecondOpenOfTheSameStudyIsRefusedWhileTheFirstHoldsIt() {
    try (var first = StudyJournal.open(dir, "s", "fp")) {
      assertThatThrownBy(() -> StudyJournal.open(dir, "s", "fp"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "another asap run is already running study 's' in "
                  + dir
                  + "; wait for it to end or stop it first");
    }
    try (var again = StudyJournal.open(dir, "s", "fp")) {
      assertThat(again.trials()).isEmpty();
    }
  }

  @Test
  void keepsAWholeLastRecordThatOnlyLacksItsNewline() throws Exception {
    try (var j = StudyJournal.open(dir, "s", "fp")) {
      j.append(completed(0, 1.5));
    }
    Path file = dir.resolve("trials.jsonl");
    String text = Files.readString(file);
    Files.writeString(file, text.substring(0, text.length() - 1));

    try (var j = StudyJournal.open(dir, "s", "fp")) {
      assertThat(j.trials()).extracting(TrialRecord::objective).containsExactly(1.5);
    }
    assertThat(Files.readString(file)).isEqualTo(text);
  }

  @Test
  void refusesAJournalWithoutItsHeader() throws Exception {
    try (var j = StudyJournal.open(dir, "s", "fp")) {
      j.append(completed(0, 1.5));
    }
    Path file = dir.resolve("trials.jsonl");
    List<String> lines = Files.readAllLines(file);
    Files.write(file, lines.subList(1, lines.size()));

    assertThatThrownBy(() -> StudyJournal.open(dir, "s", "fp"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            file
                + " does not start with its study header, so it cannot be checked against the"
                + " study file; remove the folder to start over");
  }

  @Test
  void aHeaderCutShortIsWrittenAgain() throws Exception {
    try (var j = StudyJournal.open(dir, "s", "fp")) {
      // nothing but the header
    }
    Path file = dir.resolve("trials.jsonl");
    Files.writeString(file, Files.readString(file).substring(0, 20));

    try (var j = StudyJournal.open(dir, "s", "fp")) {
      j.append(completed(0, 2.0));
    }

    assertThat(Files.readAllLines(file).get(0)).startsWith("{\"type\":\"study\",\"name\":\"s\"");
    assertThatThrownBy(() -> StudyJournal.open(dir, "s", "other"))
        .hasMessageContaining("with a different search space or objective");
  }

  @Test
  void aGarbageLineIsReportedWithItsNumber() throws Exception {
    try (var j = StudyJournal.open(dir, "s", "fp")) {
      j.append(completed(0, 1.5));
    }
    Path file = dir.resolve("trials.jsonl");
    Files.writeString(file, "not json\n", java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(file, "{\"type\":\"trial\"}\n", java.nio.file.StandardOpenOption.APPEND);

    assertThatThrownBy(() -> StudyJournal.open(dir, "s", "fp"))
        .hasMessage(file + " line 3 is not a journal record; fix or remove that line");
  }

  private static TrialRecord chosenBy(int n, SelectionRecord selection) {
    Instant at = Instant.parse("2026-12-04T10:00:00Z");
    return new TrialRecord(
        n,
        Map.of("x", 0.5),
        "tpe",
        null,
        TrialState.RUNNING,
        at,
        at,
        null,
        null,
        null,
        null,
        "fn:" + n,
        selection);
  }

  @Test
  void keepsTheSlotsIdleTimeAndTheSpeculationThatPrecededTheRound() {
    var selection =
        new SelectionRecord("llm", List.of("gp", "tpe"), 35, 2410, null, List.of(), null)
            .withSlot(
                12L,
                new SpeculationRecord(
                    4,
                    0.91,
                    0.93,
                    0.021505376344086,
                    0.1,
                    dev.asap.engine.speculation.SpeculationVerdict.ACCEPTED,
                    2445,
                    2433,
                    0));
    try (var j = StudyJournal.open(dir, "s", "fp")) {
      j.append(chosenBy(5, selection));
    }

    try (var j = StudyJournal.open(dir, "s", "fp")) {
      SelectionRecord read = j.trials().get(0).selection();
      assertThat(read).isEqualTo(selection);
      assertThat(read.speculative()).isTrue();
      assertThat(read.slotIdleMillis()).isEqualTo(12L);
    }
  }

  @Test
  void keepsTheLlmCallAndTheMembersThatMissedTheProposalTimeLimit() {
    var selection =
        new SelectionRecord(
            "llm",
            List.of("random", "tpe"),
            120,
            340,
            null,
            List.of("gp"),
            new LlmCall("replica-1", 812, 769, 41.5, null, 338, 2));
    try (var j = StudyJournal.open(dir, "s", "fp")) {
      j.append(chosenBy(0, selection));
    }

    try (var j = StudyJournal.open(dir, "s", "fp")) {
      assertThat(j.trials().get(0).selection()).isEqualTo(selection);
    }
  }

  @Test
  void readsAJournalWrittenBeforeSelectionsHadLlmCallsOrTimedOutMembers() throws Exception {
    try (var j = StudyJournal.open(dir, "s", "fp")) {
      // the header only
    }
    Path file = dir.resolve("trials.jsonl");
    Files.writeString(
        file,
        "{\"type\":\"trial\",\"record\":{\"number\":0,\"parameters\":{\"x\":0.5},"
            + "\"source\":\"tpe\",\"state\":\"COMPLETED\","
            + "\"startedAt\":\"2026-12-04T10:00:00Z\",\"finishedAt\":\"2026-12-04T10:00:05Z\","
            + "\"objective\":0.25,\"selection\":{\"integrator\":\"bandit\","
            + "\"candidates\":[\"random\",\"tpe\"],\"proposeMillis\":12,\"selectMillis\":0}}}\n",
        java.nio.file.StandardOpenOption.APPEND);

    try (var j = StudyJournal.open(dir, "s", "fp")) {
      assertThat(j.trials().get(0).selection())
          .isEqualTo(
              new SelectionRecord(
                  "bandit", List.of("random", "tpe"), 12, 0, null, List.of(), null));
    }
  }

  @Test
  void leavesAnEmptyTimedOutListAndAMissingLlmCallOutOfTheLine() throws Exception {
    var selection = new SelectionRecord("bandit", List.of("tpe"), 3, 0, null, List.of(), null);
    try (var j = StudyJournal.open(dir, "s", "fp")) {
      j.append(chosenBy(0, selection));
    }

    String line = Files.readAllLines(dir.resolve("trials.jsonl")).get(1);

    assertThat(line)
        .contains(
            "\"selection\":{\"integrator\":\"bandit\",\"candidates\":[\"tpe\"],"
                + "\"proposeMillis\":3,\"selectMillis\":0}");
  }
}
