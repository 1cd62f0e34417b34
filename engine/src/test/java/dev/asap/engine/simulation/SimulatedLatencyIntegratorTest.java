package dev.asap.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.LlmCall;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.integrator.Selection;
import dev.asap.engine.integrator.SelectionContext;
import dev.asap.engine.integrator.SourceBandit;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.SearchSpace;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.StudySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedLatencyIntegratorTest {
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  private static final SearchSpace SPACE =
      new SearchSpace(List.of(new FloatParameter("x", 0, 1, false)));
  private static final StudySpec SPEC =
      new StudySpec(
          new Objective("loss", Direction.MINIMIZE, null, List.of()),
          SPACE,
          null,
          List.of("a", "b", "c"),
          IntegratorSpec.llm(IntegratorSpec.Llm.defaults()),
          null,
          0,
          null);
  private static final List<Proposal> CANDIDATES = List.of(from("a"), from("b"), from("c"));

  /** "a" has a trial running and "b" none: the bandit tries "b", the candidate at index 1. */
  private static final SelectionContext CONTEXT =
      new SelectionContext(
          SPEC,
          List.of(),
          List.of(
              new TrialRecord(
                  0,
                  Map.of("x", 0.5),
                  "a",
                  null,
                  TrialState.RUNNING,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null)),
          null);

  private final VirtualClock clock = new VirtualClock(T0, false);

  private static Proposal from(String source) {
    return new Proposal(SPACE.configuration(Map.of("x", 0.5)), source, null);
  }

  @Test
  void takesTheBanditsChoiceAndChargesTheLatencyToTheClock() {
    var llm =
        new SimulatedLatencyIntegrator(
            new SourceBandit(), LatencyModel.fixed(Duration.ofMillis(2540)), clock);

    Selection selection = llm.select(CONTEXT, CANDIDATES);

    assertThat(new SourceBandit().select(CONTEXT, CANDIDATES).index()).isEqualTo(1);
    assertThat(selection)
        .isEqualTo(
            new Selection(1, null, new LlmCall("simulated", null, null, null, null, 2540, 1)));
    assertThat(clock.instant()).isEqualTo(T0.plusMillis(2540));
    assertThat(llm.name()).isEqualTo("llm");
  }

  @Test
  void insideAMeasurementChargesTheMeasurementAndLeavesTheClock() {
    var llm =
        new SimulatedLatencyIntegrator(
            new SourceBandit(), LatencyModel.fixed(Duration.ofMillis(2540)), clock);

    Duration cost = clock.measure(() -> llm.select(CONTEXT, CANDIDATES));

    assertThat(cost).isEqualTo(Duration.ofMillis(2540));
    assertThat(clock.instant()).isEqualTo(T0);
  }

  @Test
  void aSingleCandidateAsksNothingAndCostsNothing() {
    var llm =
        new SimulatedLatencyIntegrator(
            new SourceBandit(), LatencyModel.fixed(Duration.ofMillis(2540)), clock);

    Selection selection = llm.select(CONTEXT, List.of(from("c")));

    assertThat(selection).isEqualTo(Selection.of(0));
    assertThat(clock.instant()).isEqualTo(T0);
  }

  @Test
  void eachRoundChargesItsOwnDrawFromTheMeasuredRounds() {
    var llm = new SimulatedLatencyIntegrator(new SourceBandit(), LatencyModel.measured(11), clock);
    var same = LatencyModel.measured(11);

    Duration expected = Duration.ZERO;
    for (int round = 0; round < 5; round++) {
      Duration latency = same.next();
      expected = expected.plus(latency);

      Selection selection = llm.select(CONTEXT, CANDIDATES);

      assertThat(selection.llm().totalMillis()).isEqualTo(latency.toMillis());
    }
    assertThat(clock.instant()).isEqualTo(T0.plus(expected));
  }
}
