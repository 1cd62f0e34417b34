package dev.asap.gateway.config;

/** A configuration the gateway cannot start with; the message names the key and what it allows. */
public final class GatewayConfigException extends RuntimeException {

  public GatewayConfigException(String message) {
    super(message);
  }
}
