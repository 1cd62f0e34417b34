package dev.asap.engine.history;

import java.util.List;

/**
 * How a trial's configuration was chosen: the round's candidates and the integrator's pick.
 *
 * @param integrator the integrator that chose
 * @param candidates the sources that proposed a valid candidate this round, in pool order
 * @param proposeMillis wall-clock time spent gathering the pool's proposals
 * @param selectMillis wall-clock time the integrator took to choose
 * @param fallbackReason why the integrator fell back to its default choice, or {@code null}
 */
public record SelectionRecord(
    String integrator,
    List<String> candidates,
    long proposeMillis,
    long selectMillis,
    String fallbackReason) {
  public SelectionRecord {
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
  }
}
