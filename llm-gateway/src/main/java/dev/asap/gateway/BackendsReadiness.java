package dev.asap.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while at least one backend is up: a request can then be served somewhere. */
@Readiness
@ApplicationScoped
public class BackendsReadiness implements HealthCheck {

  @Inject CompletionDispatcher dispatcher;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("backends");
    boolean anyUp = false;
    for (var state : dispatcher.states().entrySet()) {
      response.withData(state.getKey(), state.getValue());
      anyUp |= dispatcher.isUp(state.getKey());
    }
    return response.status(anyUp).build();
  }
}
