package dev.asap.engine.loop;

import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.SpeculationVerdict;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where a study's wall-clock time went, from its journal and its execution log: what users pay for
 * is evaluation plus the serial overhead, and speculation exists to shrink the latter.
 *
 * @param evaluation time trials ran, summed over trials
 * @param serialOverhead time slots stood idle between one trial's end and the next one's start
 * @param optimizer time the pool spent proposing on the critical path (rounds run after a trial
 *     ended)
 * @param llm time the integrator's model took on the critical path
 * @param speculativeOptimizer time the pool spent proposing ahead, off the critical path
 * @param speculativeLlm time the model took answering ahead, off the critical path
 * @param hidden speculative work that overlapped evaluation and whose result was used: time taken
 *     off the critical path
 * @param wasted speculative work thrown away
 * @param speculations how many speculations ended with each verdict
 */
public record WallClock(
    Duration evaluation,
    Duration serialOverhead,
    Duration optimizer,
    Duration llm,
    Duration speculativeOptimizer,
    Duration speculativeLlm,
    Duration hidden,
    Duration wasted,
    Map<SpeculationVerdict, Long> speculations) {

  public WallClock {
    var counts = new EnumMap<SpeculationVerdict, Long>(SpeculationVerdict.class);
    for (SpeculationVerdict v : SpeculationVerdict.values()) {
      counts.put(v, speculations == null ? 0L : speculations.getOrDefault(v, 0L));
    }
    speculations = java.util.Collections.unmodifiableMap(counts);
  }

  /** The accounting of {@code trials} and the execution log's {@code entries}. */
  public static WallClock of(List<TrialRecord> trials, List<ExecutionLogEntry> entries) {
    long evaluation = 0;
    long idle = 0;
    long optimizer = 0;
    long llm = 0;
    for (TrialRecord t : trials) {
      if (t.startedAt() != null && t.finishedAt() != null) {
        evaluation += Duration.between(t.startedAt(), t.finishedAt()).toMillis();
      }
      SelectionRecord s = t.selection();
      if (s == null) {
        continue;
      }
      if (s.slotIdleMillis() != null) {
        idle += s.slotIdleMillis();
      }
      if (!s.speculative()) {
        optimizer += s.proposeMillis();
        llm += s.llm() == null ? 0 : s.llm().totalMillis();
      }
    }
    long specOptimizer = 0;
    long specLlm = 0;
    long hidden = 0;
    long wasted = 0;
    var counts = new EnumMap<SpeculationVerdict, Long>(SpeculationVerdict.class);
    for (ExecutionLogEntry e : entries) {
      specOptimizer += e.optimizerMillis();
      specLlm += e.llmMillis();
      hidden += e.hiddenMillis();
      wasted += e.wastedMillis();
      if (e.verdict() != null) {
        counts.merge(e.verdict(), 1L, Long::sum);
      }
    }
    return new WallClock(
        Duration.ofMillis(evaluation),
        Duration.ofMillis(idle),
        Duration.ofMillis(optimizer),
        Duration.ofMillis(llm),
        Duration.ofMillis(specOptimizer),
        Duration.ofMillis(specLlm),
        Duration.ofMillis(hidden),
        Duration.ofMillis(wasted),
        counts);
  }

  /** Speculations of every verdict. */
  public long speculationCount() {
    return speculations.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Speculations whose proposal ran. */
  public long accepted() {
    return speculations.get(SpeculationVerdict.ACCEPTED);
  }
}
