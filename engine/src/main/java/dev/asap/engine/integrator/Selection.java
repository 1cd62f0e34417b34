package dev.asap.engine.integrator;

import dev.asap.engine.history.LlmCall;

/**
 * An integrator's pick among a round's candidates.
 *
 * @param index the position of the chosen candidate in the list the integrator was given
 * @param fallbackReason why the integrator could not decide as designed and took its default, or
 *     {@code null}
 * @param llm what asking the LLM cost this round, or {@code null} when it was not asked or did not
 *     answer
 */
public record Selection(int index, String fallbackReason, LlmCall llm) {
  public static Selection of(int index) {
    return new Selection(index, null, null);
  }

  /** A pick made without the LLM, for the reason given (or {@code null}). */
  public Selection(int index, String fallbackReason) {
    this(index, fallbackReason, null);
  }
}
