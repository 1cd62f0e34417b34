package dev.asap.gateway.metrics;

import dev.asap.gateway.backend.Completion;
import dev.asap.gateway.routing.AffinityRouter;
import dev.asap.gateway.routing.BackendFailure;
import dev.asap.gateway.routing.RoutingListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;

/**
 * The gateway's meters, all under {@code asap_gateway_} and tagged only by backend, outcome or
 * result: a prefix key is one per study, so it never becomes a tag.
 */
public final class GatewayMetrics implements RoutingListener {

  /** The backend tag of a request that no backend took. */
  public static final String NO_BACKEND = "none";

  private final MeterRegistry registry;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the gauges that read the router's live state. */
  public void watch(AffinityRouter router, Collection<String> backends) {
    for (String backend : backends) {
      Gauge.builder("asap.gateway.backend.up", router, r -> r.isUp(backend) ? 1 : 0)
          .description("1 while the backend is taken as up, 0 while it is down")
          .tag("backend", backend)
          .register(registry);
    }
    Gauge.builder("asap.gateway.inflight", router, AffinityRouter::inFlight)
        .description("Chat-completion attempts in flight on all backends")
        .register(registry);
  }

  /** One attempt on a backend ended with {@code outcome} after {@code elapsed}. */
  public void attempt(String backend, String outcome, Duration elapsed) {
    Counter.builder("asap.gateway.requests")
        .description(
            "Chat-completion attempts by backend and outcome (ok, client_error, backend_error,"
                + " timeout, busy, unavailable)")
        .tags("backend", backend, "outcome", outcome)
        .register(registry)
        .increment();
    Timer.builder("asap.gateway.request.duration")
        .description("Time of one chat-completion attempt on one backend")
        .tags("backend", backend, "outcome", outcome)
        .register(registry)
        .record(elapsed);
  }

  /** A completion came back: its prompt, cache and time figures. */
  public void completed(String backend, Completion completion) {
    Counter.builder("asap.gateway.prompt.tokens")
        .description("Prompt tokens received, cached or not")
        .tag("backend", backend)
        .register(registry)
        .increment(completion.promptTokens());
    Counter.builder("asap.gateway.prompt.cached.tokens")
        .description("Prompt tokens the backend reused from its KV cache")
        .tag("backend", backend)
        .register(registry)
        .increment(completion.cachedTokens());
    if (completion.timings() != null) {
      Timer.builder("asap.gateway.prefill.duration")
          .description("Time to evaluate the uncached part of a prompt")
          .tag("backend", backend)
          .register(registry)
          .record(millis(completion.timings().promptMs()));
      Timer.builder("asap.gateway.decode.duration")
          .description("Time to generate the answer after its first token")
          .tag("backend", backend)
          .register(registry)
          .record(millis(completion.timings().predictedMs()));
    }
  }

  @Override
  public void served(String backend, boolean hit) {
    Counter.builder("asap.gateway.affinity")
        .description("Requests served at their prefix key's home backend (hit) or elsewhere (miss)")
        .tag("result", hit ? "hit" : "miss")
        .register(registry)
        .increment();
  }

  @Override
  public void failedOver(String backend, BackendFailure failure) {
    Counter.builder("asap.gateway.failovers")
        .description("Requests moved to the next backend after this one failed")
        .tag("backend", backend)
        .register(registry)
        .increment();
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos(Math.round(ms * 1e6));
  }
}
