package dev.asap.gateway.api;

/** A request the gateway refuses, with the field path at fault as OpenAI's {@code param}. */
public final class InvalidRequestException extends Exception {

  private final String param;

  public InvalidRequestException(String message, String param) {
    super(message);
    this.param = param;
  }

  /** The field path, e.g. {@code messages[2].role}; null when the whole body is at fault. */
  public String param() {
    return param;
  }
}
