package dev.asap.operator.metrics;

import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.speculation.SpeculationVerdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's Prometheus metrics, all prefixed {@code asap_}. Tags are the namespace, the study
 * (bounded by the studies that exist: a deleted study's meters are removed), and small fixed sets:
 * phase, outcome, source (the six optimizers), verdict.
 */
@ApplicationScoped
public class OperatorMetrics {
  static final String[] STUDY_PHASES = {"Pending", "Running", "Succeeded", "Failed", "Invalid"};
  static final String[] TRIAL_PHASES = {"Running", "Completed", "Failed", "Stopped"};

  @Inject MeterRegistry registry;

  /** The phase of every study this replica knows, by namespace/name. */
  private final Map<String, String> studyPhases = new ConcurrentHashMap<>();

  private final Map<String, StudyGauges> studies = new ConcurrentHashMap<>();

  /** The namespaces whose study-phase gauges are registered. */
  private final java.util.Set<String> phaseGauges = ConcurrentHashMap.newKeySet();

  /** A study's phase changed (or was first seen). */
  public void studyPhase(String namespace, String study, String phase) {
    studyPhases.put(namespace + "/" + study, phase);
    if (!phaseGauges.add(namespace)) {
      return; // this namespace's gauges exist already and read the map
    }
    for (String p : STUDY_PHASES) {
      Gauge.builder(
              "asap.studies",
              studyPhases,
              m ->
                  m.entrySet().stream()
                      .filter(e -> e.getKey().startsWith(namespace + "/") && p.equals(e.getValue()))
                      .count())
          .description("Studies by phase")
          .tags("namespace", namespace, "phase", p)
          .register(registry);
    }
  }

  /** A study's trial counts and best value, as its status says. */
  public void studyFigures(
      String namespace,
      String study,
      int running,
      int completed,
      int failed,
      int stopped,
      Double best) {
    StudyGauges g =
        studies.computeIfAbsent(namespace + "/" + study, k -> register(namespace, study));
    g.counts.set(new int[] {running, completed, failed, stopped});
    g.best.set(best);
  }

  private StudyGauges register(String namespace, String study) {
    var g = new StudyGauges();
    for (int i = 0; i < TRIAL_PHASES.length; i++) {
      int index = i;
      Gauge.builder("asap.trials", g.counts, c -> c.get()[index])
          .description("Trials of a study by phase")
          .tags("namespace", namespace, "study", study, "phase", TRIAL_PHASES[i])
          .register(registry);
    }
    Gauge.builder("asap.study.best.value", g.best, b -> b.get() == null ? Double.NaN : b.get())
        .description("The objective value of the study's best completed trial")
        .tags("namespace", namespace, "study", study)
        .register(registry);
    return g;
  }

  /** A trial ended. */
  public void trialEnded(String namespace, String study, TrialRecord trial) {
    Counter.builder("asap.trials.ended")
        .description("Trials that ended, by outcome and by the optimizer that proposed them")
        .tags(
            "namespace",
            namespace,
            "study",
            study,
            "outcome",
            trial.state().name().toLowerCase(Locale.ROOT),
            "source",
            trial.source())
        .register(registry)
        .increment();
  }

  /** A trial started: its slot's idle time and its round's LLM call. */
  public void trialStarted(String namespace, String study, TrialRecord trial) {
    SelectionRecord s = trial.selection();
    if (s == null) {
      return;
    }
    if (s.slotIdleMillis() != null) {
      Counter.builder("asap.serial.overhead.seconds")
          .description(
              "Time trial slots stood idle between a trial's end and the next start (seconds)")
          .tags("namespace", namespace, "study", study)
          .register(registry)
          .increment(s.slotIdleMillis() / 1000.0);
    }
    if (s.llm() != null) {
      Timer.builder("asap.llm.latency")
          .description("How long the LLM took to choose among the pool's proposals")
          .tags("namespace", namespace, "study", study)
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.ofMillis(s.llm().totalMillis()));
    }
  }

  /** A speculation reached its verdict. */
  public void speculation(String namespace, String study, SpeculationVerdict verdict) {
    Counter.builder("asap.speculations")
        .description("Speculative proposals by verdict: accepted, rejected, stale, late, no_value")
        .tags(
            "namespace",
            namespace,
            "study",
            study,
            "verdict",
            verdict.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  /** A metric report was answered with {@code outcome}. */
  public void reportReceived(String namespace, String outcome) {
    Counter.builder("asap.metric.reports")
        .description(
            "Metric reports from trial pods: accepted, unauthorized, unknown_trial, trial_ended,"
                + " bad_request, not_recorded")
        .tags("namespace", namespace, "outcome", outcome)
        .register(registry)
        .increment();
  }

  /** Removes a deleted study's meters. */
  public void studyDeleted(String namespace, String study) {
    studyPhases.remove(namespace + "/" + study);
    studies.remove(namespace + "/" + study);
    var tags = Tags.of("namespace", namespace, "study", study).stream().toList();
    for (Meter m : registry.getMeters()) {
      if (m.getId().getTags().containsAll(tags)) {
        registry.remove(m);
      }
    }
  }

  private static final class StudyGauges {
    final AtomicReference<int[]> counts = new AtomicReference<>(new int[4]);
    final AtomicReference<Double> best = new AtomicReference<>();
  }
}
