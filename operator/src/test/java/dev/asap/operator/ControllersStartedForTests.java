package dev.asap.operator;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Starts the controllers in {@code @QuarkusTest}s, which never run {@link OperatorMain} (where the
 * operator starts them), and stops them when the test application stops.
 */
@ApplicationScoped
public class ControllersStartedForTests {
  @Inject Operator operator;

  void start(@Observes StartupEvent event) {
    operator.start();
  }

  void stop(@Observes ShutdownEvent event) {
    operator.stop();
  }
}
