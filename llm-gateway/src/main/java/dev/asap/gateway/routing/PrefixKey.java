package dev.asap.gateway.routing;

import java.util.HexFormat;

/**
 * The key that decides a request's home backend: the caller's own key when it sends one, else a
 * hash of the prompt's stable head, so every round of one study lands where its prefix is cached.
 */
public final class PrefixKey {

  /** The request header through which a caller names its prefix key. */
  public static final String HEADER = "X-Asap-Prefix-Key";

  private PrefixKey() {}

  /**
   * {@code header} when non-blank, else the hex SHA-256 of {@code firstMessage} (the system
   * message, whose text a prefix-stable prompt never changes).
   */
  public static String of(String header, String firstMessage) {
    if (header != null && !header.isBlank()) {
      return header;
    }
    return HexFormat.of().formatHex(HashRing.sha256(firstMessage));
  }
}
