package dev.asap.engine.integrator.llm;

/**
 * Why a round went to the bandit instead of the LLM; each fallback reason starts with its token and
 * a colon, so that summaries can count them without parsing prose.
 */
public enum FallbackCategory {
  /** The answer was not {@code {"pick": n}}. */
  UNPARSABLE("unparsable"),
  /** The answer picked a number outside 1..k. */
  OUT_OF_RANGE("out-of-range"),
  /** No answer within the configured timeout. */
  TIMEOUT("timeout"),
  /** The gateway could not be reached: connection refused, unknown host, broken connection. */
  UNREACHABLE("unreachable"),
  /** The gateway answered with a status other than 2xx. */
  HTTP_ERROR("http-error");

  private final String token;

  FallbackCategory(String token) {
    this.token = token;
  }

  /** The reason's first word, such as {@code timeout}. */
  public String token() {
    return token;
  }

  /** A fallback reason: the token, a colon, and the detail. */
  String reason(String detail) {
    return token + ": " + detail;
  }
}
