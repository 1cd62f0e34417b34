package dev.asap.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The OpenAI error envelope, {@code {"error": {message, type, param}}}, that clients parse. */
public final class ErrorBody {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorBody() {}

  /** The envelope as JSON text; {@code param} may be null. */
  public static String of(String message, String type, String param) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    return root.toString();
  }
}
