package dev.asap.engine.integrator.llm;

/**
 * The order of the prompt's history lines: completion order keeps the prompt's prefix stable from
 * round to round; value order exists only to measure what breaking that stability costs.
 */
public enum HistoryOrder {
  /** Trials in the order they ended: each round only appends, so the server's cache stays valid. */
  COMPLETION,

  /**
   * Trials sorted by objective, best first, failures last: a new result lands mid-list and
   * invalidates the cached prompt from there on. For the cache experiment only.
   */
  BY_VALUE
}
