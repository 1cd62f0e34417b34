package dev.asap.engine.integrator.llm;

/**
 * One round's question to the LLM in its three parts, kept apart so that the part an inference
 * server may reuse from its cache (head, then history) is visible as a string prefix.
 *
 * @param head fixed for the study: the task, objective, search space, pool and answer format
 * @param history one line per ended trial, only ever appended to (except when old lines are dropped
 *     in a block)
 * @param tail this round's state and candidates, and the question; changes every round
 */
public record Prompt(String head, String history, String tail) {

  /** The system message: the head. */
  public String system() {
    return head;
  }

  /** The user message: the history, then the tail. */
  public String user() {
    return history + tail;
  }
}
