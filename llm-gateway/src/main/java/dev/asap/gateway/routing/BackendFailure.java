package dev.asap.gateway.routing;

/**
 * Why one attempt on a backend failed in a way that says nothing about the request itself, so the
 * router retries the request on the next backend along the ring, and marks the backend down unless
 * it was only {@link Kind#BUSY}.
 */
public final class BackendFailure extends Exception {

  /** What went wrong with the attempt. */
  public enum Kind {
    /** No connection, or it broke mid-request. */
    CONNECTION,
    /** The backend answered 5xx. */
    SERVER_ERROR,
    /** The attempt ran past its time limit. */
    TIMEOUT,
    /**
     * The backend is alive but was serving others for the whole attempt: overload, not death, so it
     * stays up and only this request moves on.
     */
    BUSY
  }

  private final Kind kind;

  public BackendFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public BackendFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
