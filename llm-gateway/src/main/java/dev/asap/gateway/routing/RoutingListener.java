package dev.asap.gateway.routing;

/** What the router reports as it routes, for metrics and logs; never told the prefix key. */
public interface RoutingListener {

  /** A request was served by {@code backend}; {@code hit} when that is the key's home. */
  default void served(String backend, boolean hit) {}

  /** An attempt on {@code backend} failed and the request moves on to the next backend. */
  default void failedOver(String backend, BackendFailure failure) {}

  /** {@code backend} changed between up and down. */
  default void backendStateChanged(String backend, boolean up) {}

  /** The listener that ignores everything. */
  RoutingListener NONE = new RoutingListener() {};
}
