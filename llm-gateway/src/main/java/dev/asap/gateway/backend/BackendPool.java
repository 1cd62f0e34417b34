package dev.asap.gateway.backend;

import dev.asap.gateway.config.GatewayConfig;
import dev.asap.gateway.config.GatewayConfig.BackendConfig;
import dev.asap.gateway.config.GatewayConfigException;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured backends, built and checked at startup so that a bad setting stops the gateway
 * with the key at fault, and closed at shutdown so that no model memory outlives it.
 */
@Startup
@ApplicationScoped
public class BackendPool {

  private static final String PREFIX = "asap.gateway.backends";

  @Inject GatewayConfig config;

  private final Map<String, Backend> backends = new LinkedHashMap<>();

  private static final String ROUTING = "asap.gateway.routing";

  /** Upper bound on virtual nodes: past this the ring only costs memory and startup time. */
  static final int MAX_VIRTUAL_NODES = 1024;

  @PostConstruct
  void start() {
    // Checked here, at startup, rather than where they are used: that bean is built on the first
    // request, which would turn a bad setting into a 500 instead of a refusal to start.
    checkAttemptTimeout(config.attemptTimeout());
    GatewayConfig.Routing routing = config.routing();
    checkRouting(
        routing.loadFactor(), routing.virtualNodes(), routing.cooldown(), routing.maxCooldown());
    List<BackendConfig> configured = config.backends();
    if (configured.isEmpty()) {
      throw new GatewayConfigException(PREFIX + " must list at least one backend");
    }
    try {
      for (int i = 0; i < configured.size(); i++) {
        Backend backend = build(PREFIX + "[" + i + "]", configured.get(i));
        backends.put(backend.name(), backend);
      }
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Refuses an attempt timeout that is not positive. */
  static void checkAttemptTimeout(Duration attemptTimeout) {
    requirePositive("asap.gateway.attempt-timeout", attemptTimeout);
  }

  /** Refuses routing settings outside the ranges the router can work with. */
  static void checkRouting(
      double loadFactor, int virtualNodes, Duration cooldown, Duration maxCooldown) {
    if (!(loadFactor >= 1.0) || Double.isInfinite(loadFactor)) {
      throw new GatewayConfigException(
          ROUTING + ".load-factor must be a finite number of at least 1, got " + loadFactor);
    }
    if (virtualNodes < 1 || virtualNodes > MAX_VIRTUAL_NODES) {
      throw new GatewayConfigException(
          ROUTING
              + ".virtual-nodes must be from 1 to "
              + MAX_VIRTUAL_NODES
              + ", got "
              + virtualNodes);
    }
    requirePositive(ROUTING + ".cooldown", cooldown);
    requirePositive(ROUTING + ".max-cooldown", maxCooldown);
    if (cooldown.compareTo(maxCooldown) > 0) {
      throw new GatewayConfigException(
          ROUTING
              + ".cooldown ("
              + cooldown.toMillis()
              + " ms) must not exceed "
              + ROUTING
              + ".max-cooldown ("
              + maxCooldown.toMillis()
              + " ms)");
    }
  }

  private static void requirePositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new GatewayConfigException(key + " must be positive, got " + value.toMillis() + " ms");
    }
  }

  /** The backends by name, in configuration order. */
  public Map<String, Backend> backends() {
    return backends;
  }

  @PreDestroy
  void stop() {
    backends.values().forEach(Backend::close);
    backends.clear();
  }

  private Backend build(String key, BackendConfig backend) {
    if (backend.name().isBlank()) {
      throw new GatewayConfigException(key + ".name must not be blank");
    }
    if (backends.containsKey(backend.name())) {
      throw new GatewayConfigException(
          key + ".name '" + backend.name() + "' is already used by another backend");
    }
    switch (backend.type()) {
      case "embedded":
        return embedded(key, backend);
      case "openai":
        return openAi(key, backend);
      default:
        throw new GatewayConfigException(
            key + ".type must be one of embedded, openai, got '" + backend.type() + "'");
    }
  }

  private static Backend embedded(String key, BackendConfig backend) {
    Path model = Path.of(backend.modelPath().orElseGet(BackendPool::defaultModelPath));
    if (!Files.isRegularFile(model)) {
      throw new GatewayConfigException(
          key
              + ".model-path: no model file at "
              + model
              + " (set "
              + key
              + ".model-path, or ASAP_MODEL for the default, to a GGUF file)");
    }
    if (backend.contextSize() < 1) {
      throw new GatewayConfigException(key + ".context-size must be at least 1");
    }
    if (backend.threads() < 1) {
      throw new GatewayConfigException(key + ".threads must be at least 1");
    }
    Path logFile = backend.logFile().map(Path::of).orElse(null);
    return new EmbeddedBackend(
        backend.name(), model, backend.contextSize(), backend.threads(), logFile);
  }

  private static Backend openAi(String key, BackendConfig backend) {
    String url =
        backend
            .url()
            .orElseThrow(
                () -> new GatewayConfigException(key + ".url is required for an openai backend"));
    return new OpenAiBackend(
        backend.name(),
        openAiUrl(key, url),
        backend.apiKey().orElse(null),
        backend.model().orElse(null));
  }

  /**
   * The base URL of an openai backend; refused unless http(s) with a host and without a query or
   * fragment, which would end up before the appended {@code /chat/completions}.
   */
  static URI openAiUrl(String key, String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new GatewayConfigException(
          key + ".url must be an http:// or https:// URL, got '" + url + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new GatewayConfigException(
          key + ".url must have no query or fragment, got '" + url + "'");
    }
    return uri;
  }

  /**
   * {@code $ASAP_MODEL}, else SmolLM2-135M-Instruct in ASAP's cache: {@code $CACHE/models} when
   * {@code CACHE} is set (as the Makefile sets it), else {@code $HOME/.cache/asap/models}.
   */
  static String defaultModelPath() {
    String fromEnv = System.getenv("ASAP_MODEL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    String cache = System.getenv("CACHE");
    if (cache == null || cache.isBlank()) {
      String home = System.getenv("HOME");
      cache =
          Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home)
              .resolve(".cache")
              .resolve("asap")
              .toString();
    }
    return Path.of(cache, "models", "SmolLM2-135M-Instruct.Q4_1.gguf").toString();
  }
}
