package dev.asap.operator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while this replica leads: see {@link Leadership}. */
@Readiness
@ApplicationScoped
public class LeaderReadiness implements HealthCheck {
  @Inject Leadership leadership;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("leader").status(leadership.leading()).build();
  }
}
