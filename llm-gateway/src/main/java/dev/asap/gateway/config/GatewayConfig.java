package dev.asap.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The gateway's settings under {@code asap.gateway}: its backends, timeouts and routing. */
@ConfigMapping(prefix = "asap.gateway")
public interface GatewayConfig {

  /** The backends, in the order their names are listed; at least one. */
  List<BackendConfig> backends();

  /**
   * How long one attempt on one backend may take before it counts as failed and the request moves
   * to the next backend. Kept well under the engine's default {@code llm.timeout} (60 s), so that a
   * slow replica is failed over before a study gives up on the round. The embedded backend applies
   * it to its wait for the model's slot and to decoding, not to prefill, which llama.cpp cannot
   * interrupt and which would cost as much again on another replica.
   */
  @WithDefault("20s")
  Duration attemptTimeout();

  /** How prefix keys are spread over the backends. */
  Routing routing();

  /**
   * One backend: a model in this process ({@code embedded}) or a remote server ({@code openai}).
   */
  interface BackendConfig {
    String name();

    /** {@code embedded} or {@code openai}. */
    String type();

    /** Embedded: the GGUF file; defaults to {@code $ASAP_MODEL}, else SmolLM2 in the cache. */
    Optional<String> modelPath();

    /** Embedded: the context length in tokens, prompt and answer together. */
    @WithDefault("8192")
    int contextSize();

    /** Embedded: CPU threads for prefill and decode. */
    @WithDefault("2")
    int threads();

    /** Embedded: a file that also receives llama.cpp's own log. */
    Optional<String> logFile();

    /** Openai: the base URL, e.g. {@code http://127.0.0.1:8000/v1}. */
    Optional<String> url();

    /** Openai: sent as a bearer token when set. */
    Optional<String> apiKey();

    /** Openai: replaces the client's model name when set. */
    Optional<String> model();
  }

  /** Consistent hashing with bounded loads, and the cooldown of failed backends. */
  interface Routing {
    /** A backend carries at most ceil(load-factor * (in flight + 1) / backends up) requests. */
    @WithDefault("1.25")
    double loadFactor();

    /** Points per backend on the hash ring. */
    @WithDefault("64")
    int virtualNodes();

    /** How long a failed backend is left alone before a request probes it. */
    @WithDefault("2s")
    Duration cooldown();

    /** The cooldown doubles after each failed probe, up to this. */
    @WithDefault("60s")
    Duration maxCooldown();
  }
}
