package dev.asap.engine.study;

import java.net.URI;
import java.time.Duration;

/**
 * The study's {@code integrator}: which one picks among the pool's proposals, and, for the LLM
 * integrator, how to reach the model, so that the choice of integrator lives in the study file.
 *
 * @param type one of {@link PoolMembers#INTEGRATORS}
 * @param llm how to reach the LLM when {@code type} is {@code llm}, otherwise {@code null}
 */
public record IntegratorSpec(String type, Llm llm) {

  /** The default integrator: the bandit over sources. */
  public static IntegratorSpec bandit() {
    return new IntegratorSpec(PoolMembers.BANDIT, null);
  }

  /** The LLM integrator with {@code llm}'s settings. */
  public static IntegratorSpec llm(Llm llm) {
    return new IntegratorSpec(PoolMembers.LLM, llm);
  }

  /** The integrator's name as the history records it; the same as {@link #type()}. */
  public String name() {
    return type;
  }

  /**
   * Where the LLM integrator sends its questions: an OpenAI-compatible endpoint, normally ASAP's
   * own gateway, which routes each study to the inference server that holds its prompt cache.
   *
   * @param endpoint the base URL; requests go to {@code endpoint + "/chat/completions"}
   * @param model the model name passed through to the gateway
   * @param timeout how long one answer may take before the round falls back to the bandit
   */
  public record Llm(URI endpoint, String model, Duration timeout) {
    public static final URI DEFAULT_ENDPOINT = URI.create("http://127.0.0.1:8470/v1");
    public static final String DEFAULT_MODEL = "default";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Every setting at its default: the gateway on this machine's default port. */
    public static Llm defaults() {
      return new Llm(DEFAULT_ENDPOINT, DEFAULT_MODEL, DEFAULT_TIMEOUT);
    }
  }
}
