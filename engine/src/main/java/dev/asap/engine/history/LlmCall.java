package dev.asap.engine.history;

/**
 * What one question to the LLM cost, as the backend reported it, kept with the trial it chose so
 * that the prompt cache's effect can be read from the journal.
 *
 * @param backend the inference server that answered (the gateway's {@code X-Asap-Backend}), or
 *     {@code null}
 * @param promptTokens tokens in the prompt, or {@code null} when not reported
 * @param cachedTokens prompt tokens served from the server's cache, or {@code null}
 * @param prefillMillis time the server spent reading the uncached prompt, or {@code null}
 * @param decodeMillis time the server spent writing the answer, or {@code null}
 * @param totalMillis wall-clock time of the whole request, as the engine measured it
 * @param pick the candidate number the model answered, 1 being the fallback integrator's own choice
 *     (the integrator lists it first), or {@code null} when the answer was not a valid pick
 */
public record LlmCall(
    String backend,
    Integer promptTokens,
    Integer cachedTokens,
    Double prefillMillis,
    Double decodeMillis,
    long totalMillis,
    Integer pick) {

  /** A call whose answer is not known yet. */
  public LlmCall(
      String backend,
      Integer promptTokens,
      Integer cachedTokens,
      Double prefillMillis,
      Double decodeMillis,
      long totalMillis) {
    this(backend, promptTokens, cachedTokens, prefillMillis, decodeMillis, totalMillis, null);
  }

  /** This call, answered with candidate number {@code pick}. */
  public LlmCall withPick(int pick) {
    return new LlmCall(
        backend, promptTokens, cachedTokens, prefillMillis, decodeMillis, totalMillis, pick);
  }
}
