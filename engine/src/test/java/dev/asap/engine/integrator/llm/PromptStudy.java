package dev.asap.engine.integrator.llm;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.optimizer.Prediction;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.SearchSpace;
import dev.asap.engine.study.Budget;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.Objective;
import dev.asap.engine.study.StudySpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tiny SVM study and its trial records, for the prompt's and the integrator's tests. */
final class PromptStudy {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  static final StudySpec SPEC =
      new StudySpec(
          new Objective("val_accuracy", Direction.MAXIMIZE, null, List.of()),
          new SearchSpace(
              List.of(
                  new FloatParameter("C", 0.001, 1000, true),
                  new IntParameter("degree", 2, 8, 2, false),
                  new CategoricalParameter("kernel", List.of("rbf", "poly")))),
          new Budget(30, 5, 2, null, null),
          List.of("random", "tpe"),
          IntegratorSpec.llm(IntegratorSpec.Llm.defaults()),
          null,
          7);

  private PromptStudy() {}

  static Map<String, Object> params(double c, long degree, String kernel) {
    var p = new LinkedHashMap<String, Object>();
    p.put("C", c);
    p.put("degree", degree);
    p.put("kernel", kernel);
    return p;
  }

  static TrialRecord running(int n, String source, Map<String, Object> params) {
    return new TrialRecord(
        n,
        params,
        source,
        null,
        TrialState.RUNNING,
        T0.plusSeconds(n),
        T0.plusSeconds(n),
        null,
        null,
        null,
        null,
        "fn:" + n,
        null);
  }

  static TrialRecord completed(int n, String source, Map<String, Object> params, double value) {
    return running(n, source, params)
        .ended(TrialState.COMPLETED, T0.plusSeconds(n + 5), value, Map.of(), null);
  }

  static TrialRecord ended(int n, String source, Map<String, Object> params, TrialState state) {
    return running(n, source, params).ended(state, T0.plusSeconds(n + 5), null, Map.of(), "why");
  }

  static Proposal proposal(String source, Map<String, Object> params, Prediction prediction) {
    return new Proposal(SPEC.searchSpace().configuration(params), source, prediction);
  }
}
