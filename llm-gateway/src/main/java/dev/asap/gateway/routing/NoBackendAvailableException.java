package dev.asap.gateway.routing;

import java.util.Map;

/** No backend could serve a request; carries each backend's state so the client sees why. */
public final class NoBackendAvailableException extends Exception {

  private final Map<String, String> states;

  public NoBackendAvailableException(Map<String, String> states) {
    super("no backend can serve the request: " + describe(states));
    this.states = Map.copyOf(states);
  }

  /** Backend name to a human-readable state, e.g. {@code down (connection refused)}. */
  public Map<String, String> states() {
    return states;
  }

  private static String describe(Map<String, String> states) {
    StringBuilder text = new StringBuilder();
    states.forEach(
        (name, state) -> {
          if (text.length() > 0) {
            text.append("; ");
          }
          text.append(name).append(": ").append(state);
        });
    return text.toString();
  }
}
