package dev.asap.gateway;

import dev.asap.gateway.api.ChatRequest;
import dev.asap.gateway.backend.Backend;
import dev.asap.gateway.backend.BackendPool;
import dev.asap.gateway.backend.BackendReply;
import dev.asap.gateway.backend.ClientError;
import dev.asap.gateway.backend.Completion;
import dev.asap.gateway.config.GatewayConfig;
import dev.asap.gateway.metrics.GatewayMetrics;
import dev.asap.gateway.routing.AffinityRouter;
import dev.asap.gateway.routing.BackendFailure;
import dev.asap.gateway.routing.HashRing;
import dev.asap.gateway.routing.NoBackendAvailableException;
import dev.asap.gateway.routing.RoutingListener;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Routes each request to a backend by its prefix key and records what happened. */
@ApplicationScoped
public class CompletionDispatcher {

  private static final Logger LOG = Logger.getLogger(CompletionDispatcher.class);

  @Inject GatewayConfig config;
  @Inject BackendPool pool;
  @Inject MeterRegistry registry;

  private GatewayMetrics metrics;
  private AffinityRouter router;

  @PostConstruct
  void start() {
    // BackendPool, a startup bean, has already checked these settings.
    GatewayConfig.Routing routing = config.routing();
    metrics = new GatewayMetrics(registry);
    List<String> names = List.copyOf(pool.backends().keySet());
    HashRing ring = new HashRing(names, routing.virtualNodes());
    router =
        new AffinityRouter(
            ring,
            routing.loadFactor(),
            InstantSource.system(),
            routing.cooldown(),
            routing.maxCooldown(),
            new LoggingListener(metrics));
    metrics.watch(router, names);
  }

  /** Serves {@code request} on the backend its prefix key belongs to, or the next one up. */
  public AffinityRouter.Routed<BackendReply> complete(ChatRequest request, String prefixKey)
      throws NoBackendAvailableException {
    try {
      return router.route(prefixKey, name -> attempt(pool.backends().get(name), request));
    } catch (NoBackendAvailableException e) {
      metrics.attempt(GatewayMetrics.NO_BACKEND, "unavailable", Duration.ZERO);
      throw e;
    }
  }

  /** Counts a request refused before it reached any backend. */
  public void refused() {
    metrics.attempt(GatewayMetrics.NO_BACKEND, "client_error", Duration.ZERO);
  }

  /** The backends by name, in configuration order. */
  public Map<String, Backend> backends() {
    return pool.backends();
  }

  /** Whether the named backend is taken as up. */
  public boolean isUp(String backend) {
    return router.isUp(backend);
  }

  /** Each backend's state in words. */
  public Map<String, String> states() {
    return router.describeStates();
  }

  private BackendReply attempt(Backend backend, ChatRequest request) throws BackendFailure {
    long start = System.nanoTime();
    try {
      BackendReply reply = backend.complete(request, config.attemptTimeout());
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (reply instanceof Completion completion) {
        metrics.attempt(backend.name(), "ok", elapsed);
        metrics.completed(backend.name(), completion);
      } else if (reply instanceof ClientError) {
        metrics.attempt(backend.name(), "client_error", elapsed);
      }
      return reply;
    } catch (BackendFailure failure) {
      String outcome =
          switch (failure.kind()) {
            case TIMEOUT -> "timeout";
            case BUSY -> "busy";
            default -> "backend_error";
          };
      metrics.attempt(backend.name(), outcome, Duration.ofNanos(System.nanoTime() - start));
      throw failure;
    }
  }

  /** Logs backend transitions and failovers, then counts them. */
  private static final class LoggingListener implements RoutingListener {
    private final GatewayMetrics metrics;

    LoggingListener(GatewayMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public void served(String backend, boolean hit) {
      metrics.served(backend, hit);
    }

    @Override
    public void failedOver(String backend, BackendFailure failure) {
      LOG.warnf("failing over from backend %s: %s", backend, failure.getMessage());
      metrics.failedOver(backend, failure);
    }

    @Override
    public void backendStateChanged(String backend, boolean up) {
      LOG.infof("backend %s is %s", backend, up ? "up again" : "down");
    }
  }
}
