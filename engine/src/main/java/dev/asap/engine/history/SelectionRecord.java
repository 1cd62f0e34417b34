package dev.asap.engine.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How a trial's configuration was chosen: the round's candidates and the integrator's pick.
 *
 * @param integrator the integrator that chose
 * @param candidates the sources that proposed a valid candidate this round, in pool order
 * @param proposeMillis wall-clock time spent gathering the pool's proposals
 * @param selectMillis wall-clock time the integrator took to choose
 * @param fallbackReason why the integrator fell back to its default choice, or {@code null}
 * @param timedOut the pool members skipped this round because they missed the proposal time limit
 *     (this round or an earlier one whose call is still running), in pool order
 * @param llm what the LLM call cost, or {@code null} when no answer came back or none was asked
 * @param slotIdleMillis how long the slot this trial took stood idle between the end of the trial
 *     before it and this trial's start (the serial overhead), or {@code null} for a slot filled at
 *     the study's start
 * @param speculation the speculation that preceded this round, or {@code null} when there was none
 */
public record SelectionRecord(
    String integrator,
    List<String> candidates,
    long proposeMillis,
    long selectMillis,
    String fallbackReason,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> timedOut,
    LlmCall llm,
    Long slotIdleMillis,
    SpeculationRecord speculation) {
  public SelectionRecord {
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
    timedOut = timedOut == null ? List.of() : List.copyOf(timedOut);
  }

  /** A record of a round with no speculation and no slot accounting. */
  public SelectionRecord(
      String integrator,
      List<String> candidates,
      long proposeMillis,
      long selectMillis,
      String fallbackReason,
      List<String> timedOut,
      LlmCall llm) {
    this(
        integrator,
        candidates,
        proposeMillis,
        selectMillis,
        fallbackReason,
        timedOut,
        llm,
        null,
        null);
  }

  /** This record with the slot's idle time and the round's speculation. */
  public SelectionRecord withSlot(Long slotIdleMillis, SpeculationRecord speculation) {
    return new SelectionRecord(
        integrator,
        candidates,
        proposeMillis,
        selectMillis,
        fallbackReason,
        timedOut,
        llm,
        slotIdleMillis,
        speculation);
  }

  /** Whether this trial runs a proposal computed ahead and accepted. */
  public boolean speculative() {
    return speculation != null && speculation.accepted();
  }

  /** The category of {@link #fallbackReason()}: its text up to the first colon, or null. */
  public String fallbackCategory() {
    if (fallbackReason == null) {
      return null;
    }
    int colon = fallbackReason.indexOf(':');
    return colon < 0 ? fallbackReason : fallbackReason.substring(0, colon);
  }
}
