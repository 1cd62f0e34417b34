package dev.asap.gateway.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends each prefix key to the backend that holds its KV cache: consistent hashing with bounded
 * loads, failover along the ring when a backend fails, and a doubling cooldown before a failed
 * backend is probed again.
 */
public final class AffinityRouter {

  /** One attempt of a request on a named backend. */
  @FunctionalInterface
  public interface Attempt<R> {
    R run(String backend) throws BackendFailure;
  }

  /** A served request: where, with what result, and whether that was the key's home. */
  public record Routed<R>(String backend, R result, boolean hit) {}

  private final HashRing ring;
  private final double loadFactor;
  private final InstantSource clock;
  private final Duration initialCooldown;
  private final Duration maxCooldown;
  private final RoutingListener listener;
  private final Map<String, BackendState> states = new LinkedHashMap<>();

  public AffinityRouter(
      HashRing ring,
      double loadFactor,
      InstantSource clock,
      Duration initialCooldown,
      Duration maxCooldown,
      RoutingListener listener) {
    if (!(loadFactor >= 1.0)) {
      // Below 1 the bounds would not add up to the load, and a request could find no backend.
      throw new IllegalArgumentException("loadFactor must be at least 1, got " + loadFactor);
    }
    this.ring = ring;
    this.loadFactor = loadFactor;
    this.clock = clock;
    this.initialCooldown = initialCooldown;
    this.maxCooldown = maxCooldown;
    this.listener = listener;
    for (String backend : ring.backends()) {
      states.put(backend, new BackendState());
    }
  }

  /**
   * Runs {@code attempt} on the key's backend, and on the next ones along the ring while attempts
   * fail with a {@link BackendFailure}; any other result, a client error included, is returned as
   * is.
   */
  public <R> Routed<R> route(String key, Attempt<R> attempt) throws NoBackendAvailableException {
    List<String> order = ring.walk(key);
    Set<String> tried = new HashSet<>();
    String failedBackend = null;
    BackendFailure failure = null;
    while (true) {
      Lease lease = claim(order, tried);
      if (lease == null) {
        throw new NoBackendAvailableException(describeStates());
      }
      if (failure != null) {
        listener.failedOver(failedBackend, failure);
      }
      tried.add(lease.backend);
      R result;
      try {
        result = attempt.run(lease.backend);
      } catch (BackendFailure e) {
        release(lease, e);
        failedBackend = lease.backend;
        failure = e;
        continue;
      } catch (RuntimeException | Error e) {
        release(lease, null);
        throw e;
      }
      release(lease, null);
      listener.served(lease.backend, lease.hit);
      return new Routed<>(lease.backend, result, lease.hit);
    }
  }

  /**
   * Takes a slot for {@code key} without running anything, and returns the chosen backend; the slot
   * stays taken until {@link #release}. Lets a caller (or a test) hold load on a backend.
   */
  public synchronized Lease claim(String key) {
    return claim(ring.walk(key), Set.of());
  }

  /** Frees a slot; {@code failure} non-null, unless {@code BUSY}, marks its backend down. */
  public synchronized void release(Lease lease, BackendFailure failure) {
    BackendState state = states.get(lease.backend);
    state.inFlight--;
    if (failure != null && failure.kind() == BackendFailure.Kind.BUSY) {
      // A busy backend says nothing about its health, so a probe stays undecided.
      if (lease.probe) {
        state.probing = false;
      }
      return;
    }
    Instant now = clock.instant();
    if (failure != null) {
      boolean wasUp = state.up;
      if (lease.probe) {
        state.cooldown = min(state.cooldown.multipliedBy(2), maxCooldown);
        state.downUntil = now.plus(state.cooldown);
      } else if (state.up) {
        state.cooldown = initialCooldown;
        state.downUntil = now.plus(state.cooldown);
      }
      state.up = false;
      state.reason = failure.getMessage();
      if (wasUp) {
        listener.backendStateChanged(lease.backend, false);
      }
    } else if (lease.probe && !state.up) {
      state.up = true;
      state.reason = null;
      state.cooldown = initialCooldown;
      listener.backendStateChanged(lease.backend, true);
    }
    if (lease.probe) {
      state.probing = false;
    }
  }

  /** Whether {@code backend} is currently taken as up. */
  public synchronized boolean isUp(String backend) {
    return states.get(backend).up;
  }

  /** Requests in flight on all backends together. */
  public synchronized int inFlight() {
    return states.values().stream().mapToInt(s -> s.inFlight).sum();
  }

  /** Backend name to a readable state, in configuration order. */
  public synchronized Map<String, String> describeStates() {
    Instant now = clock.instant();
    Map<String, String> described = new LinkedHashMap<>();
    states.forEach((name, state) -> described.put(name, state.describe(now)));
    return described;
  }

  private synchronized Lease claim(List<String> order, Set<String> tried) {
    Instant now = clock.instant();
    int total = 0;
    int up = 0;
    for (BackendState state : states.values()) {
      total += state.inFlight;
      up += state.up ? 1 : 0;
    }
    long bound = (long) Math.ceil(loadFactor * (total + 1) / Math.max(up, 1));
    String chosen = null;
    for (String backend : order) {
      BackendState state = states.get(backend);
      if (!tried.contains(backend) && state.canServe(now) && state.inFlight < bound) {
        chosen = backend;
        break;
      }
    }
    if (chosen == null) {
      // Bounds always leave room on some up backend; only backends already tried by this request
      // can fill that room, and serving over the bound beats failing the request.
      chosen =
          order.stream()
              .filter(b -> !tried.contains(b) && states.get(b).canServe(now))
              .findFirst()
              .orElse(null);
    }
    if (chosen == null) {
      return null;
    }
    BackendState state = states.get(chosen);
    boolean probe = !state.up;
    if (probe) {
      state.probing = true;
    }
    state.inFlight++;
    return new Lease(chosen, chosen.equals(order.get(0)), probe);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A slot taken on one backend for one attempt. */
  public static final class Lease {
    private final String backend;
    private final boolean hit;
    private final boolean probe;

    private Lease(String backend, boolean hit, boolean probe) {
      this.backend = backend;
      this.hit = hit;
      this.probe = probe;
    }

    public String backend() {
      return backend;
    }

    /** Whether the backend is the key's home on the ring. */
    public boolean hit() {
      return hit;
    }

    /** Whether this attempt probes a backend that is down after its cooldown. */
    public boolean probe() {
      return probe;
    }
  }

  private final class BackendState {
    private boolean up = true;
    private boolean probing;
    private int inFlight;
    private Instant downUntil = Instant.MIN;
    private Duration cooldown = initialCooldown;
    private String reason;

    /** Up, or down with its cooldown over and no other request probing it yet. */
    private boolean canServe(Instant now) {
      return up || (!probing && !now.isBefore(downUntil));
    }

    private String describe(Instant now) {
      if (up) {
        return "up, " + inFlight + " in flight";
      }
      if (probing) {
        return "down (" + reason + "), being probed";
      }
      Duration left = Duration.between(now, downUntil);
      String retry =
          left.isNegative() || left.isZero()
              ? "retried by the next request"
              : "retried in " + left.toMillis() + " ms";
      return "down (" + reason + "), " + retry;
    }
  }
}
