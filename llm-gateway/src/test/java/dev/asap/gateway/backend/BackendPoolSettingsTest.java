package dev.asap.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asap.gateway.config.GatewayConfigException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The startup checks that turn a bad setting into a refusal to start, naming key and range. */
class BackendPoolSettingsTest {

  private static final Duration TWO_S = Duration.ofSeconds(2);
  private static final Duration MINUTE = Duration.ofSeconds(60);

  private static void assertRoutingRefused(
      double loadFactor, int virtualNodes, Duration cooldown, Duration max, String message) {
    assertThatThrownBy(() -> BackendPool.checkRouting(loadFactor, virtualNodes, cooldown, max))
        .isInstanceOf(GatewayConfigException.class)
        .hasMessage(message);
  }

  @Test
  void acceptsTheDefaults() {
    assertThatCode(() -> BackendPool.checkRouting(1.25, 64, TWO_S, MINUTE))
        .doesNotThrowAnyException();
    assertThatCode(() -> BackendPool.checkRouting(1.0, 1024, MINUTE, MINUTE))
        .doesNotThrowAnyException();
    assertThatCode(() -> BackendPool.checkAttemptTimeout(Duration.ofSeconds(20)))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesALoadFactorBelowOneNaNOrInfinite() {
    String message = "asap.gateway.routing.load-factor must be a finite number of at least 1, got ";
    assertRoutingRefused(0.99, 64, TWO_S, MINUTE, message + "0.99");
    assertRoutingRefused(Double.NaN, 64, TWO_S, MINUTE, message + "NaN");
    assertRoutingRefused(Double.POSITIVE_INFINITY, 64, TWO_S, MINUTE, message + "Infinity");
  }

  @Test
  void refusesVirtualNodesOutsideOneTo1024() {
    String message = "asap.gateway.routing.virtual-nodes must be from 1 to 1024, got ";
    assertRoutingRefused(1.25, 0, TWO_S, MINUTE, message + "0");
    assertRoutingRefused(1.25, 1025, TWO_S, MINUTE, message + "1025");
  }

  @Test
  void refusesANonPositiveCooldownOrMaxCooldown() {
    assertRoutingRefused(
        1.25,
        64,
        Duration.ZERO,
        MINUTE,
        "asap.gateway.routing.cooldown must be positive, got 0 ms");
    assertRoutingRefused(
        1.25,
        64,
        TWO_S,
        Duration.ofMillis(-5),
        "asap.gateway.routing.max-cooldown must be positive, got -5 ms");
  }

  @Test
  void refusesACooldownLongerThanTheMaxCooldown() {
    assertRoutingRefused(
        1.25,
        64,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        "asap.gateway.routing.cooldown (5000 ms) must not exceed"
            + " asap.gateway.routing.max-cooldown (1000 ms)");
  }

  @Test
  void refusesANonPositiveAttemptTimeout() {
    assertThatThrownBy(() -> BackendPool.checkAttemptTimeout(Duration.ZERO))
        .isInstanceOf(GatewayConfigException.class)
        .hasMessage("asap.gateway.attempt-timeout must be positive, got 0 ms");
  }

  @Test
  void refusesABackendUrlWithAQueryOrFragment() {
    String key = "asap.gateway.backends[1]";
    assertThatThrownBy(() -> BackendPool.openAiUrl(key, "http://127.0.0.1:8000/v1?x=1"))
        .isInstanceOf(GatewayConfigException.class)
        .hasMessage(
            key + ".url must have no query or fragment, got 'http://127.0.0.1:8000/v1?x=1'");
    assertThatThrownBy(() -> BackendPool.openAiUrl(key, "http://127.0.0.1:8000/v1#top"))
        .hasMessage(
            key + ".url must have no query or fragment, got 'http://127.0.0.1:8000/v1#top'");
  }

  @Test
  void acceptsAPlainHttpBaseUrl() {
    assertThat(BackendPool.openAiUrl("k", "http://127.0.0.1:8000/v1"))
        .isEqualTo(URI.create("http://127.0.0.1:8000/v1"));
  }
}
